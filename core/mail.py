"""The local email backend for ``make run``: each email is kept whole as a file under
``var/emails/`` (open it to see the text and the attachments) and the log gets one line, so a
day of demo use does not print megabytes of base64 to the console."""
import logging

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileBackend

logger = logging.getLogger("core.mail")


class KeptEmailBackend(FileBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, file_path=file_path or str(settings.VAR_DIR / "emails"), **kwargs)

    def write_message(self, message):
        super().write_message(message)
        attachments = len(getattr(message, "attachments", ()) or ())
        logger.info("email to %s: %s%s (kept in %s)", ", ".join(message.recipients()), message.subject,
                    f" + {attachments} attachment(s)" if attachments else "", self._fname)
