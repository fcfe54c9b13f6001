#!/usr/bin/env bash
# Debian packages the portal needs: Pango for WeasyPrint, Noto CJK fonts for Chinese PDFs,
# Chromium and its driver for the browser tests. Installs what is missing when it can
# (root or password-less sudo with apt-get); otherwise says exactly what to install.
set -u

missing=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)

[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
  if [ "$SUDO" != none ]; then
    echo "Installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
    echo "apt-get could not install: ${missing[*]}" >&2
  fi
fi
cat >&2 <<MSG
*** Missing system packages: ${missing[*]}
*** Install them with your package manager, e.g.: sudo apt-get install ${missing[*]}
*** Without fonts-noto-cjk, PDFs show no Chinese text; without chromium the browser tests fail.
MSG
exit 0
