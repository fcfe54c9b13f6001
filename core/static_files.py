"""Static files in production: WhiteNoise's compressed, hashed copies, each file's address
worked out once per process."""
from whitenoise.storage import CompressedManifestStaticFilesStorage


class KeptAddressesStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Every built page names the same stylesheets and scripts (``{% static %}``), and under
    the manifest each address is a name cleaned, split, looked up and joined again: about 60
    Python calls a file, four files a page. The manifest is read once when the process starts
    and does not change while it runs, so an address is kept after its first use."""

    KEPT = 1024  # file names come from templates: a small, fixed set

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:  # collectstatic's own use, while the manifest is being written
            return super().url(name, force=True)
        address = self._addresses.get(name)
        if address is None:
            address = super().url(name)
            if len(self._addresses) < self.KEPT:
                self._addresses[name] = address
        return address
