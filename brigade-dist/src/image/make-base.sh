#!/usr/bin/env bash
# make-base.sh OUT JAVA_HOME CLASSPATH — the file tree under the container image (Jib's extra
# directory on top of `scratch`), made offline from this machine, since no base image can be pulled:
#   OUT/opt/java   a jlink runtime of JAVA_HOME (JDK 25): a fixed list of modules plus whatever jdeps
#                  finds the jars of CLASSPATH need; no debug symbols, headers or man pages
#   OUT/lib*/...   the shared libraries that runtime's executables and libraries link against (glibc,
#                  the dynamic loader, ...), copied from this machine at the paths ldd resolves
#   OUT/etc        passwd/group with the non-root user brigade (65532), nsswitch.conf,
#                  brigade/brigade.yaml (the distribution's example config)
#   OUT/srv/www    a placeholder page;  OUT/tmp, OUT/home/brigade
# Run by `./mvnw -Pimage package` (brigade-dist/pom.xml); Linux only (ldd).
set -euo pipefail
out=$1 java_home=$2 classpath=${3:-}
here=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)

rm -rf "$out"
mkdir -p "$out/opt"

# The modules: what the server and its libraries use, whether or not jdeps sees it (reflection,
# service loading), plus jdeps' answer for the jars actually on the class path.
modules=java.base,java.logging,java.management,java.naming,jdk.crypto.ec,jdk.management,jdk.unsupported
if [ -n "$classpath" ]; then
  jars=()
  IFS=: read -r -a entries <<<"$classpath"
  for e in "${entries[@]}"; do case $e in *.jar) [ -f "$e" ] && jars+=("$e") ;; esac; done
  if [ ${#jars[@]} -gt 0 ] &&
    found=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 \
      --class-path "$classpath" "${jars[@]}" 2>/dev/null | tail -n 1) &&
    [ -n "$found" ]; then
    modules=$modules,$found
  else
    echo "make-base: jdeps gave no answer; using the fixed module list" >&2
  fi
fi
# Left out although jdeps names it: java.desktop (AWT/Swing, and X11 libraries with it), which Jackson
# only probes for java.beans annotations and does without. ImageIT runs the image's own config load.
drop=${BRIGADE_IMAGE_DROP_MODULES-java.desktop}
modules=$(tr , '\n' <<<"$modules" | grep -vxF -e "${drop//,/$'\n'}" -e '' | sort -u | paste -sd, -)
echo "make-base: jlink --add-modules $modules"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$out/opt/java"

# Shared libraries from outside the runtime: every absolute path ldd resolves for an ELF file in it
# ("libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and the loader's own "/lib64/ld-linux...").
# libgcc_s is dlopen'ed by glibc when a thread is cancelled; ldd cannot see that, so it is added by name.
libs=$(
  find "$out/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -print0 |
    while IFS= read -r -d '' f; do
      head -c 4 "$f" | grep -q ELF || continue
      ldd "$f" 2>/dev/null || true
    done | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
  ldconfig -p 2>/dev/null | awk '$1 == "libgcc_s.so.1" && $NF ~ /^\// { print $NF; exit }'
)
copied=0
for lib in $(sort -u <<<"$libs"); do
  case $lib in "$out"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
  copied=$((copied + 1))
done
# jlink links the legal notices shared between modules; the image gets plain copies.
find "$out/opt/java" -type l -print0 | while IFS= read -r -d '' l; do
  cp --remove-destination "$(readlink -f "$l")" "$l"
done

cp -R "$here/root/." "$out/"
mkdir -p "$out/etc/brigade" "$out/tmp" "$out/home/brigade"
cp "$here/../dist/conf/brigade.yaml" "$out/etc/brigade/brigade.yaml"
echo "make-base: $(du -sh "$out" | cut -f1) in $out ($copied shared libraries)"
