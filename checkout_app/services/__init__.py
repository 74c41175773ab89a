"""Application services between the domain and the windows: the counter session, payment and
enrollment flows, staff PIN, settings, teaching products, system stats, headless run, benchmark.

No Qt here: the kiosk's windows call these, and so do the command line and the tests.
"""
