"""People and films: the mentions a review makes (names, roles, characters, titles), the checks on
them (a name spelt two ways; against a knowledge base, misspellings, roles and years), and the stage
that resolves them into `Review.mentions`, `Review.film` and `Review.checks`, linking them to a
knowledge base when the pipeline is given one.

May import: `reelsense.text`, `reelsense.anatomy` (the aspect mention finder), `reelsense.kb.names`
(pure text: how names are compared), the rest of `reelsense.kb` only for types (the knowledge base
itself is passed in, so importing the people stage loads no database code), `reelsense.errors`,
`reelsense.review`.
"""
