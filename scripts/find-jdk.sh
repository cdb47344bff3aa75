# scripts/find-jdk.sh — sourced (not run) by ./brigade, ./run-tests, brigade-bench/run-server
# and .ci/run. Defines `find_jdk`, which prints the home of a JDK >= 25 (one with javac):
#   1. $JAVA_HOME, if it is such a JDK;
#   2. else the newest one in the usual install places (Debian/Ubuntu, Temurin tarballs,
#      SDKMAN, IntelliJ's ~/.jdks, macOS);
#   3. else the JDK of the `java` on the PATH, if it is new enough.
# Otherwise it says how to install one (on stderr) and returns 1.
#   usage:  source scripts/find-jdk.sh && JAVA_HOME=$(find_jdk) || exit 1
# Kept to bash 3.2 (macOS) features. BRIGADE_MIN_JDK overrides the minimum (default 25).

# _jdk_version HOME — prints "MAJOR MINOR PATCH" (e.g. "25 0 3") of the JDK at HOME;
# returns 1 if HOME has no runnable java and javac.
_jdk_version() {
  local home=$1 v=
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  # The `release` file is cheap to read: JAVA_VERSION="25.0.3" (or "1.8.0_412" on JDK 8).
  if [ -r "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="*\([^"]*\)"*[[:space:]]*$/\1/p' "$home/release" 2>/dev/null | head -n 1)
  fi
  # Otherwise ask the JVM itself (java.version has the full version, the spec version the major).
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^[[:space:]]*java\.version = \(.*\)$/\1/p' | head -n 1)
  fi
  v=${v#1.}                       # 1.8.0_412 -> 8.0_412
  v=${v%%[-+_ ]*}                 # 25-ea -> 25, 21.0.2+13 -> 21.0.2
  local major=${v%%.*} rest minor=0 patch=0
  case $v in *.*) rest=${v#*.}; minor=${rest%%.*}
    case $rest in *.*) rest=${rest#*.}; patch=${rest%%.*} ;; esac ;;
  esac
  case "$major$minor$patch" in '' | *[!0-9]*) return 1 ;; esac
  echo "$major $minor $patch"
}

# _jdk_major HOME — prints just the feature release (25, 26, ...) of the JDK at HOME.
_jdk_major() {
  local v
  v=$(_jdk_version "$1") || return 1
  echo "${v%% *}"
}

# _jdk_runs HOME — true if the JDK's java actually starts here (catches a wrong-architecture
# or half-extracted JDK whose release file looks fine).
_jdk_runs() {
  "$1/bin/java" -version >/dev/null 2>&1
}

find_jdk() {
  local min=${BRIGADE_MIN_JDK:-25} home v major minor patch java_cmd list

  # 1. JAVA_HOME, if it is a new-enough JDK.
  if [ -n "${JAVA_HOME:-}" ]; then
    home=${JAVA_HOME%/}
    if v=$(_jdk_version "$home"); then
      major=${v%% *}
      if [ "$major" -ge "$min" ] && _jdk_runs "$home"; then
        echo "$home"
        return 0
      fi
      echo "note: JAVA_HOME=$JAVA_HOME is JDK $major; Brigade needs JDK $min or newer, looking elsewhere." >&2
    else
      echo "note: JAVA_HOME=$JAVA_HOME is not a JDK (no bin/java and bin/javac); looking elsewhere." >&2
    fi
  fi

  # 2. The newest new-enough JDK in the usual places. Lines: "major minor patch home".
  list=
  for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/java/* /usr/local/jdk* \
    "${HOME:-/nonexistent}"/.sdkman/candidates/java/* "${HOME:-/nonexistent}"/.jdks/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] || continue
    v=$(_jdk_version "$home") || continue
    [ "${v%% *}" -ge "$min" ] || continue
    list="$list$v $home
"
  done
  if [ -n "$list" ]; then
    # Newest first; the first one whose java starts wins.
    while read -r major minor patch home; do
      [ -n "$home" ] || continue
      if _jdk_runs "$home"; then
        echo "$home"
        return 0
      fi
    done <<EOF
$(printf %s "$list" | sort -k1,1nr -k2,2nr -k3,3nr)
EOF
  fi

  # 3. The `java` on the PATH: ask it where its home is.
  if java_cmd=$(command -v java 2>/dev/null); then
    home=$("$java_cmd" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^[[:space:]]*java\.home = \(.*\)$/\1/p' | head -n 1)
    if [ -n "$home" ] && v=$(_jdk_version "$home") && [ "${v%% *}" -ge "$min" ]; then
      echo "$home"
      return 0
    fi
  fi

  cat >&2 <<EOF
error: no JDK $min or newer found (Brigade is built with Java $min).
Looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm/*, /opt/java/*, /opt/jdk*,
/usr/local/java/*, /usr/local/jdk*, ~/.sdkman/candidates/java/*, ~/.jdks/*,
/Library/Java/JavaVirtualMachines/*, and the java on the PATH ($(command -v java 2>/dev/null || echo none)).
Install a JDK $min, then run this again (or point JAVA_HOME at it):
  - Debian/Ubuntu, if your release packages it:  sudo apt-get install openjdk-$min-jdk-headless
  - Eclipse Temurin $min (any Linux, macOS):      https://adoptium.net/temurin/releases/?version=$min
    e.g. unpack the .tar.gz into /opt/jdk-$min
  - SDKMAN:                                        sdk install java $min-tem
  - On Debian 12 as root, \`bash .ci/run\` installs one (and then runs the tests).
EOF
  return 1
}
