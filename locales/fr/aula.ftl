# Chaînes d'interface du thème par défaut d'aula, en français.
# Un projet peut remplacer ce fichier par son propre locales/fr/aula.ftl, ou redéfinir
# quelques messages dans un autre fichier de locales/fr/.

# Noms de langues : la langue elle-même comme titre ; les autres comme dans une phrase.
language-es = espagnol
language-fr = Français
language-quc = k'iche'

variant-urban = Urbaine
variant-rural = Rurale
variant-altiplano = Altiplano
variant-urban-about = Pour les activités en ville : la vente dans la rue, au marché, dans le quartier (pesos).
variant-rural-about = Pour les activités à la campagne : la récolte, les journaliers, la coopérative (pesos).
variant-altiplano-about = Pour l'Altiplano du Guatemala : le tissage, les marchés de village, la banque communale (quetzales).
translated-share = { $percent } % traduit

skip-to-content = Aller au contenu
site-navigation = Modules du cours
switcher-label = Langue et variante
language-label = Langue
variant-label = Variante
home = Accueil
breadcrumbs = Fil d'Ariane
choose-edition = Choisir la langue et la variante
chooser-intro = Choisissez votre langue et la variante du programme.
edition-label = Édition
modules = Modules
sessions = Séances
session-count = { $n ->
    [one] { $n } séance
   *[other] { $n } séances
}
module-number = Module { $n }
session-number = Séance { $n }
duration = Durée
minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}
total-duration = Durée totale
objectives = Objectifs
materials = Matériel
on-this-page = Sur cette page
activities = Activités et minutage
schedule = Déroulé de la séance
schedule-start = Début
schedule-part = Partie
schedule-gap = Temps non attribué
in-participant-sheet = Dans la fiche des participants
on-the-web = Cette séance sur le web
name = Nom
date = Date
activity = Activité
time = Durée
previous = Précédente
next = Suivante
fallback-notice = Cette séance n'est pas encore traduite. Elle est affichée en { $language }.
fallback-notice-module = La présentation de ce module n'est pas encore traduite. Elle est affichée en { $language }.
fallback-notice-home = Cette page d'accueil n'est pas encore traduite. Elle est affichée en { $language }.
shown-in = cette page y est affichée en { $language }
fallback-link = Ouvrir la même page dans l'édition en { $language }
sample-notice = Texte d'exemple, pas une leçon : il sert à essayer le site. Ne l'imprimez pas pour un groupe.
in-language-es = espagnol
in-language-fr = français
in-language-quc = k'iche'
not-translated = non traduite
participant-view = Vue participants
participant-version = Cette page contient les notes pour l'animation. La version pour le groupe est la fiche des participants :
facilitator-notes = Notes pour l'animation
participant-notes = Pour les participantes et participants
callout-activity = Activité
callout-exercise = Exercice
callout-tip = Conseil
callout-warning = Attention
callout-example = Exemple
callout-note = Remarque
callout-discussion = Discussion
callout-solution = Solution
not-found-title = Page introuvable
not-found-text = Cette page n'existe pas ou a été déplacée.
back-to-start = Retour à l'accueil
footer-edition = { $title } · { $language } · { $variant }
contents = Sommaire
printables = À imprimer
print-handout = Fiche pour les participantes et participants (PDF)
print-guide = Guide d'animation (PDF)
print-pack = Toutes les fiches des participants du module (PDF)
print-pack-title = Fiches des participants
print-workbook = Livret des participants, à plier et agrafer (PDF)
print-pack-a5 = Fiches des participants en demi-feuille (PDF)
booklet-instructions = Imprimer en recto verso, retourner sur le bord court ; plier au milieu et agrafer.
print-module = Guide du module complet (PDF)
search-label = Rechercher
search-button = Chercher
search-title = Rechercher dans le cours
search-intro = Tapez un mot dans la case de recherche, ou cherchez la séance dans la liste de toutes les séances, ci-dessous.
all-sessions = Toutes les séances
search-one = 1 résultat
search-many = { $n } résultats
search-more = Beaucoup de mots commencent par « { $w } » : tapez d’autres lettres.
# What follows a label: a narrow no-break space, then the colon.
colon = {"\u202F"}:
paper = Papier
paper-letter = Lettre US (21,6 × 27,9 cm)
paper-a4 = A4 (21 × 29,7 cm)
pages = { $n ->
    [one] 1 page
   *[other] { $n } pages
}
sheets-both-sides = { $n ->
    [one] 1 feuille recto verso
   *[other] { $n } feuilles recto verso
}
print-centre = Centre d'impression
print-centre-intro = Toutes les fiches pour les participantes et participants et tous les guides de cette édition, par module, prêts à imprimer.
