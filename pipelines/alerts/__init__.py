"""Alerts to counties: feedback workbooks, emails, reminders (CONTRACT "Alerts to counties")."""
