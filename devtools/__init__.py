"""Development tools shared by the tests and the benchmarks: never imported by the product.

`fake_telegram` is a loopback fake of the Bot API, `postgres` a throwaway PostgreSQL server, and
`people` the simulated people who talk to the bot (through the engine, Telegram or the web page).
"""
