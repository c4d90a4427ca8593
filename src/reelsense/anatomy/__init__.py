"""The anatomy: sentence sentiment and opinion/narration (the opinion model), the word lists and
phrase matcher, film aspects with their evidence, the pull quote and summary, the stage that joins
them, and `train-opinion`.

May import: `reelsense.text`, `reelsense.verdict`, `reelsense.errors`, `reelsense.review`.
"""
