"""Async handlers: parse the update, one `run_sync` call into `botapp.flows`, reply."""
