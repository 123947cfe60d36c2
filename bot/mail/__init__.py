"""E-mail: the outbox's mails composed (plain text and HTML from one set of templates) and sent by SMTP."""
