# Interface strings of aula's default theme, in Spanish (the source language).
# A project can replace this file with its own locales/es/aula.ftl, or override single
# messages in another file of locales/es/.

# Language names: the own language's name as a title; the others as used in a sentence.
language-es = Español
language-fr = francés
language-quc = k'iche'

variant-urban = Urbana
variant-rural = Rural
variant-altiplano = Altiplano
variant-urban-about = Para negocios de ciudad: la venta en la calle, en la plaza de mercado, en el barrio (pesos).
variant-rural-about = Para negocios del campo: la cosecha, los jornales, la cooperativa (pesos).
variant-altiplano-about = Para el Altiplano de Guatemala: el tejido, los mercados de pueblo, el banco comunal (quetzales).
translated-share = { $percent } % traducido

skip-to-content = Saltar al contenido
site-navigation = Módulos del curso
switcher-label = Idioma y variante
language-label = Idioma
variant-label = Variante
home = Inicio
breadcrumbs = Ruta de navegación
choose-edition = Elegir idioma y variante
chooser-intro = Elija su idioma y la variante del programa.
edition-label = Edición
modules = Módulos
sessions = Sesiones
session-count = { $n ->
    [one] { $n } sesión
   *[other] { $n } sesiones
}
module-number = Módulo { $n }
session-number = Sesión { $n }
duration = Duración
minutes = { $n ->
    [one] { $n } minuto
   *[other] { $n } minutos
}
total-duration = Duración total
objectives = Objetivos
materials = Materiales
on-this-page = En esta página
activities = Actividades y tiempos
schedule = Plan de la sesión
schedule-start = Inicio
schedule-part = Parte
schedule-gap = Sin tiempo asignado
in-participant-sheet = En la hoja de participantes
on-the-web = Esta sesión en la web
name = Nombre
date = Fecha
activity = Actividad
time = Tiempo
previous = Anterior
next = Siguiente
fallback-notice = Esta sesión aún no está traducida. Se muestra en { $language }.
fallback-notice-module = La presentación de este módulo aún no está traducida. Se muestra en { $language }.
fallback-notice-home = Esta página de inicio aún no está traducida. Se muestra en { $language }.
shown-in = esta página se muestra allí en { $language }
fallback-link = Abrir la misma página en la edición en { $language }
sample-notice = Texto de muestra, no una lección: sirve para probar el sitio. No lo imprima para un grupo.
in-language-es = español
in-language-fr = francés
in-language-quc = k'iche'
not-translated = sin traducir
facilitator-notes = Notas para quien facilita
participant-view = Vista para participantes
participant-version = Esta página incluye las notas para quien facilita. La versión para el grupo es la hoja para participantes:
participant-notes = Para participantes
callout-activity = Actividad
callout-exercise = Ejercicio
callout-tip = Consejo
callout-warning = Atención
callout-example = Ejemplo
callout-note = Nota
callout-discussion = Conversación
callout-solution = Solución
not-found-title = Página no encontrada
not-found-text = Esta página no existe o cambió de lugar.
back-to-start = Volver al inicio
footer-edition = { $title } · { $language } · { $variant }
contents = Contenido
printables = Para imprimir
print-handout = Hoja para participantes (PDF)
print-guide = Guía para quien facilita (PDF)
print-module = Guía del módulo completo (PDF)
print-pack = Todas las hojas para participantes del módulo (PDF)
print-pack-title = Hojas para participantes
print-workbook = Cuadernillo para participantes, para doblar y grapar (PDF)
print-pack-a5 = Hojas para participantes en media hoja (PDF)
booklet-instructions = Imprimir a doble cara, girando por el borde corto; doblar por la mitad y grapar.
search-label = Buscar
search-button = Buscar
search-title = Buscar en el curso
search-intro = Escriba una palabra en la casilla de búsqueda, o busque la sesión en la lista de todas las sesiones, aquí abajo.
all-sessions = Todas las sesiones
search-one = 1 resultado
search-many = { $n } resultados
search-more = Muchas palabras empiezan por «{ $w }»: escriba más letras.
print-centre = Centro de impresión
# What follows a label: French puts a narrow space before it.
colon = :
paper = Papel
paper-letter = Carta (21,6 × 27,9 cm)
paper-a4 = A4 (21 × 29,7 cm)
pages = { $n ->
    [one] 1 página
   *[other] { $n } páginas
}
sheets-both-sides = { $n ->
    [one] 1 hoja a doble cara
   *[other] { $n } hojas a doble cara
}
print-centre-intro = Todas las hojas para participantes y guías de esta edición, por módulo, listas para imprimir.
