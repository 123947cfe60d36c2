"""Simulated people who talk to the bot, on one vocabulary (`protocol.Participant`) whatever the channel.

`engine` drives the engine directly (`World`, `Person`), `telegram` the real PTB application through
the fake Bot API (`TgPerson`), `web` the web page as a browser without JavaScript. Buttons are chosen
by the intent they carry and questions answered by their kind (`buttons`), never by wire format or
wording; `scenarios` are the stories many tests start from, written once.
"""
