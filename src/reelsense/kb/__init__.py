"""The film knowledge base: IMDb's dataset files imported into the project's database (`kb.imdb`),
the queries the people stage asks of it (`kb.base`), and how names are compared (`kb.names`).

`kb.names` is pure text and loads nothing else; `kb.imdb` and `kb.base` load SQLAlchemy, so nothing
outside `kb`, `corpus` and the interfaces imports them at module level.

May import: `reelsense.corpus` (database and schema), `reelsense.errors`, `reelsense.review`.
"""
