"""The pure layers of the client: no ``await``, no aiohttp, no clock.

Query building and validation (``query``), reading Zenoti's answers (``response``), JSON to
models (``converter``), the next-page decision (``paging``) and retry decisions (``retry``).
Everything here is a plain function of its arguments, tested without an event loop.
"""
