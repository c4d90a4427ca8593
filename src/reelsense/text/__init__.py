"""Text: what every stage reads. Cleaning (HTML, controls), sentence splitting, stated grades, the
language guess, and `read`, which turns a record's text into a Review with its sentences and a Layout.

May import: `reelsense.errors`, `reelsense.review`, and each other. Nothing from the models, stages,
corpus or interfaces.
"""
