"""Documents and pictures made from a project: the PDF and Markdown export, and the readiness chart.

Import the module you need (`bot.export.project`, `bot.export.chart`): Pillow and fpdf2 load only
with the module that uses them.
"""
