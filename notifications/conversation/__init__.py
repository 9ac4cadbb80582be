"""The conversation's vocabulary: every text a person reads in Telegram, keyboards as Bot API JSON, the callback codec.

The ground floor: the outbox (notifications), the services that write it (scheduling, candidates)
and the bot (botapp) all render from here, and it imports none of them (import-linter holds it).
"""
