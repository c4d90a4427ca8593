"""People and films: the mentions a review makes (names, roles, characters, titles), the stage that
resolves them into `Review.mentions`, `Review.film` and `Review.checks`, linking them to a knowledge
base when the pipeline is given one.

May import: `reelsense.text`, `reelsense.anatomy` (the aspect mention finder), `reelsense.kb`
(only for types; the knowledge base itself is passed in), `reelsense.errors`, `reelsense.review`.
"""
