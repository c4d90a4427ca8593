"""The `reelsense` command: argument parsing (`main`) and terminal rendering (`render`). A thin layer
over the library: each command is a few library calls and their rendering.

May import: anything in the library. Never `reelsense.web`.
"""
