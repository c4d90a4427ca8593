"""The film knowledge base: IMDb's dataset files imported into the project's database, and the
queries the people stage asks of it. Loads SQLAlchemy: nothing outside `kb`, `corpus` and the
interfaces imports it at module level.

May import: `reelsense.corpus` (database and schema), `reelsense.errors`, `reelsense.review`.
"""
