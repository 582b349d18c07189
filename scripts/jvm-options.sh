# The server's JVM options, shared by ./voxca and the benchmarks (sourced, not run).
# 128 MB of heap holds a 100,000-node CA; the parallel collector keeps its full collections short.
# The heap starts at 16 MB and gives memory back after a collection leaves it 40 % free (with the one
# full collection after start-up, idle RSS 115 MB instead of 146 MB at the same throughput).
# VOXCA_CDS=off starts without the class-data-sharing archive.
VOXCA_DEFAULT_JAVA_OPTS="-Xss512k -XX:+UseParallelGC -Xms16m -Xmx128m -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40 -XX:ReservedCodeCacheSize=48m -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=5000"

# voxca_cds JAR: prints the option that maps a class-data-sharing archive of the classes a CA uses
# (a few hundred milliseconds off every start). The archive is made once per build of the jar, by
# a training run that starts a throw-away CA and bootstraps one agent against it over HTTPS.
# Prints nothing when the archive cannot be made; voxca then simply starts without it.
voxca_cds() {
  local jar="$1" jsa="${1%.jar}.jsa" tmp
  [ "${VOXCA_CDS:-on}" != off ] || return 0
  if [ ! -f "$jsa" ] || [ "$jar" -nt "$jsa" ]; then
    rm -f "$jsa"
    tmp="$(mktemp -d)"
    # shellcheck disable=SC2086
    java -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off $VOXCA_DEFAULT_JAVA_OPTS -jar "$jar" \
      serve --exit-when-ready --host 127.0.0.1 --port 0 --cadir "$tmp/ca" --confdir "$tmp/puppet" \
      --certname cds.voxca --autosign true --setting keylength=2048 \
      >/dev/null 2>&1 || rm -f "$jsa"
    rm -rf "$tmp"
  fi
  if [ -f "$jsa" ]; then
    echo "-XX:SharedArchiveFile=$jsa -Xlog:cds=off"
  fi
}
