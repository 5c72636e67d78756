# Interface strings of aula's default theme, in K'iche' (quc).
#
# Only what we could write with certainty is here. Every other message deliberately falls
# back to Spanish (the fallback of quc in aula.yaml) rather than being invented: a partner
# organisation with K'iche' speakers should translate the messages of locales/es/aula.ftl
# into this file (or into a project's own locales/quc/aula.ftl), and `aula status` shows
# how many are translated.

language-quc = K'iche'
variant-altiplano = Altiplano
