"""Helpers for the browser tests of the public website (tests/test_site_browser.py).

Debian's chromium, driven by Playwright for Python, opens a site built by
`ticreg build` and served from 127.0.0.1; nothing leaves the machine.
"""
