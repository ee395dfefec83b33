#!/usr/bin/env bash
# One-time machine set-up for Monodepth2.MLNet on Debian/Ubuntu.
# - TorchSharp 0.107's native library needs GLIBCXX_3.4.32 (GCC 13+ libstdc++). Debian 12 ships 3.4.30,
#   so on Debian 12 this adds the Debian 13 (trixie) suite with a low pin and installs only libstdc++6 from it.
# - Installs Debian's python3-torch and python3-torchvision (test-only: the interop tests compare against real PyTorch).
# - Checks that the .NET 10 SDK is present.
# - Restores the local .NET tools of .config/dotnet-tools.json (dotnet-repl, which runs the notebooks headless in the
#   tests), as the user who called sudo when run with sudo, so that they land in that user's NuGet cache.
# Safe to run again: every step checks first. Needs root for the apt step (or sudo).
set -euo pipefail

have_glibcxx() { grep -qaF 'GLIBCXX_3.4.32' "$1" 2>/dev/null; }
# awk reads all of ldconfig's output (no early exit): under pipefail an early exit kills ldconfig with SIGPIPE, and the script.
libstdcxx=$(ldconfig -p 2>/dev/null | awk '!found && /libstdc\+\+\.so\.6 .*x86-64|libstdc\+\+\.so\.6 .*AArch64/ {print $NF; found = 1}')
libstdcxx=${libstdcxx:-/lib/x86_64-linux-gnu/libstdc++.so.6}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="__none__"; fi
fi

if have_glibcxx "$libstdcxx"; then
  echo "setup: libstdc++ already provides GLIBCXX_3.4.32"
else
  if [ "$SUDO" = "__none__" ]; then
    echo "setup: $libstdcxx lacks GLIBCXX_3.4.32, which TorchSharp 0.107 needs." >&2
    echo "       Run this script as root, or install libstdc++6 from GCC 13 or newer (Debian 13 / Ubuntu 24.04)." >&2
    exit 1
  fi
  . /etc/os-release
  if [ "${ID:-}" = "debian" ] && [ "${VERSION_CODENAME:-}" = "bookworm" ]; then
    mirror=$(grep -rhoE '^(URIs:|deb)\s+[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
      | grep -m1 -E 'debian/?$' | awk '{print $2}' || true)
    if [ -z "$mirror" ]; then
      echo "setup: no Debian archive found in the configured apt sources (/etc/apt/sources.list*), so trixie's libstdc++6" >&2
      echo "       cannot be added from it. Add your Debian mirror to the apt sources and run again." >&2
      exit 1
    fi
    echo "setup: adding Debian trixie ($mirror) for libstdc++6 only"
    $SUDO tee /etc/apt/sources.list.d/monodepth2-trixie.sources >/dev/null <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    # Keep everything else on bookworm: trixie packages are only taken when asked for with -t trixie.
    $SUDO tee /etc/apt/preferences.d/monodepth2-trixie >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  elif [ "${ID:-}" = "ubuntu" ]; then
    echo "setup: Ubuntu before 24.04 needs libstdc++6 from the ubuntu-toolchain-r PPA (GCC 13+)." >&2
    exit 1
  else
    echo "setup: install a libstdc++6 that provides GLIBCXX_3.4.32 (GCC 13 or newer) for $PRETTY_NAME." >&2
    exit 1
  fi
  have_glibcxx "$libstdcxx" || { echo "setup: libstdc++ still lacks GLIBCXX_3.4.32" >&2; exit 1; }
  echo "setup: libstdc++ now provides GLIBCXX_3.4.32"
fi

# Test-only oracle: Debian's PyTorch for the system python3. The interop tests (tests/Monodepth2.Tests/Interop) compare
# this project's .pth files and ResNet features with real PyTorch; the library, the command line and the demo never
# use it. --no-install-recommends leaves out build tools and torchvision's optional video backend (python3-av).
if /usr/bin/python3 -c 'import torch, torchvision, numpy' >/dev/null 2>&1; then
  echo "setup: test oracle present ($(/usr/bin/python3 -c 'import torch; print("PyTorch", torch.__version__)'))"
else
  . /etc/os-release
  if [ "${ID:-}" != "debian" ]; then
    echo "setup: the tests need PyTorch and torchvision for /usr/bin/python3 (Debian's python3-torch and" >&2
    echo "       python3-torchvision); this script installs them only on Debian. Install them for ${PRETTY_NAME:-this system} yourself." >&2
    exit 1
  fi
  if [ "$SUDO" = "__none__" ]; then
    echo "setup: the tests need python3-torch and python3-torchvision: run this script as root." >&2
    exit 1
  fi
  echo "setup: installing the test oracle (python3-torch, python3-torchvision)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-torch python3-torchvision >/dev/null
  /usr/bin/python3 -c 'import torch, torchvision, numpy' || { echo "setup: python3 still cannot import torch and torchvision" >&2; exit 1; }
  echo "setup: test oracle installed"
fi

# The recommended libtorch-dev puts unversioned libtorch.so / libc10.so (PyTorch 1.13) on the library path; TorchSharp
# inside .NET Interactive notebooks then fails to load its own libtorch (seen 2026-12-03; the notebook tests fail).
# python3-torch does not need it.
if dpkg-query -W -f='${Status}' libtorch-dev 2>/dev/null | grep -q "install ok installed"; then
  echo "setup: warning: libtorch-dev is installed. Its libtorch.so stops TorchSharp from loading inside .NET Interactive" >&2
  echo "       notebooks (the notebook tests fail). Unless you need it: apt-get remove libtorch-dev (python3-torch keeps working)." >&2
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is missing: install it (Microsoft's .NET 10 SDK for Linux) and run again." >&2
  exit 1
fi
echo "setup: dotnet $(dotnet --version)"

# Local tools (.config/dotnet-tools.json): dotnet-repl runs the notebooks in notebooks/ headless (the notebook tests).
dotnet=$(command -v dotnet)
repo=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != "root" ]; then
  restore=(sudo -u "$SUDO_USER" -H "$dotnet" tool restore)
else
  restore=("$dotnet" tool restore)
fi
if ! (cd "$repo" && "${restore[@]}" >/dev/null); then
  echo "setup: 'dotnet tool restore' failed in $repo: the notebook tests need dotnet-repl from the NuGet feed." >&2
  exit 1
fi
echo "setup: local tools restored (dotnet-repl)"
