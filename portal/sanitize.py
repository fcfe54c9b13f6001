"""What article bodies may contain: the editor's extensions, enforced with nh3 on save."""
from django_prose_editor.fields import create_sanitizer

# Headings, paragraphs, emphasis, lists, quotes, links and tables; no images in the body
# (covers and attachments are uploads), no scripts, no event handlers, no styles.
BODY_EXTENSIONS = {
    "Bold": True, "Italic": True, "Underline": True, "Strike": True, "Subscript": True, "Superscript": True,
    "Heading": {"levels": [2, 3, 4]}, "BulletList": True, "OrderedList": True, "ListItem": True,
    "Blockquote": True, "HorizontalRule": True, "HardBreak": True,
    "Link": {"enableTarget": True}, "Table": True, "TableRow": True, "TableHeader": True, "TableCell": True,
    "History": True,
}

_clean = create_sanitizer(BODY_EXTENSIONS)


def sanitize_body(html: str) -> str:
    return _clean(html or "")
