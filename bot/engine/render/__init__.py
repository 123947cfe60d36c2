"""Pure text views: guide content, answers, comparisons, summaries and nudges as Telegram HTML.

Nothing here reads or writes storage: every function takes what it shows and returns text.
"""
