# Sourced by bin/test, bin/local and bin/bench, or by hand (`. bin/jdk.sh` before `java -jar …`): exports JAVA_HOME
# as a JDK 21 or newer, and puts it first on PATH. JAVA_HOME wins when it is suitable; otherwise the newest JDK under
# /usr/lib/jvm (or $SWITCHBOARD_JVM_DIR). A failure returns 1 (a sourcing shell stays open; scripts with -e stop).

switchboard_java_major() {
    # Prints the feature release of the JDK at $1 (8 for 1.8, 25 for 25.0.3), or nothing when it is no JDK.
    # Reads the JDK's `release` file (fast); asks the java binary only when that file is missing.
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    local version=""
    if [ -f "$1/release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$1/release")
    fi
    if [ -z "$version" ]; then
        version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
            | sed -n 's/^ *java\.specification\.version = //p')
    fi
    version=${version#1.}
    version=${version%%[!0-9]*}
    echo "$version"
}

switchboard_find_jdk() {
    local required=21 best="" best_major=0 candidate major
    if [ -n "${JAVA_HOME:-}" ]; then
        major=$(switchboard_java_major "$JAVA_HOME")
        if [ -n "$major" ] && [ "$major" -ge "$required" ]; then
            echo "$JAVA_HOME"
            return 0
        fi
    fi
    for candidate in "${SWITCHBOARD_JVM_DIR:-/usr/lib/jvm}"/*; do
        [ -L "$candidate" ] && continue
        major=$(switchboard_java_major "$candidate")
        if [ -n "$major" ] && [ "$major" -ge "$required" ] && [ "$major" -gt "$best_major" ]; then
            best="$candidate"
            best_major="$major"
        fi
    done
    [ -n "$best" ] && echo "$best"
}

if ! SWITCHBOARD_JDK=$(switchboard_find_jdk) || [ -z "$SWITCHBOARD_JDK" ]; then
    echo "Switchboard needs a JDK 21 or newer (Helidon 4), and found none:" >&2
    echo "  JAVA_HOME=${JAVA_HOME:-<unset>} is not one, and ${SWITCHBOARD_JVM_DIR:-/usr/lib/jvm} holds none." >&2
    echo "  Install one (for example: apt-get install openjdk-21-jdk-headless) or point JAVA_HOME at one." >&2
    return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$SWITCHBOARD_JDK"
export PATH="$JAVA_HOME/bin:$PATH"

if ! command -v mvn >/dev/null 2>&1; then
    echo "Switchboard builds with Apache Maven 3.8.7 or newer, and mvn is not on PATH." >&2
    echo "  Install it (for example: apt-get install maven)." >&2
    return 1 2>/dev/null || exit 1
fi
