"""The verdict: the hashed n-gram features, the verdict model (its file format), the stage that
scores reviews with it, its `train` command and the evaluation metrics.

May import: `reelsense.text`, `reelsense.errors`, `reelsense.review`.
"""
