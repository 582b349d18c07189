package org.voxca.store.puppetdir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voxca.files.AtomicFiles;
import org.voxca.pki.Certificates;
import org.voxca.pki.PkiException;
import org.voxca.store.CertificateRecord;
import org.voxca.store.index.CertIndex;

/**
 * The {@link CertIndex} of {@code signed/}: built by one scan at start (in the background, on every
 * core, so the server answers meanwhile; a listing waits for it), kept in step with this process's
 * writes, and rescanned when the directory changes behind voxca's back (an operator's {@code rm}, a
 * restore): files added, removed or rewritten since the last scan are re-read.
 */
final class SignedIndex {
  private static final Logger LOG = LoggerFactory.getLogger(SignedIndex.class);
  private static final long FULL_RESCAN_MILLIS = 3_600_000;
  private final Path dir;
  private final Path snapshot;
  private final CertIndex index = new CertIndex();

  /**
   * The inode time (ctime, millis) of each file this process wrote since the last scan began, or
   * {@link #GONE} for one it deleted: a scan does not read its own writes again.
   */
  private final Map<String, Long> own = new ConcurrentHashMap<>();

  private static final long GONE = -1;
  private final Object saveLock = new Object();
  private boolean closed; // guarded by saveLock
  private final Object scanLock = new Object();
  private volatile CompletableFuture<Void> ready;
  private volatile FileTime dirSeen;
  private volatile long lastScanStartMillis = Long.MIN_VALUE;

  /** The first scan trusted an unchanged snapshot; the per-file check follows in the background. */
  private volatile boolean checkPending;

  /** This process's writes to signed/ in flight: their temp files change the directory too. */
  private final AtomicInteger writing = new AtomicInteger();

  /** The index of {@code dir}, its snapshot kept in {@code snapshot} (null: none). */
  SignedIndex(Path dir, Path snapshot) {
    this.dir = dir;
    this.snapshot = snapshot;
  }

  /** Starts the first scan in the background, once (again if the last attempt failed). */
  CompletableFuture<Void> start() {
    synchronized (scanLock) {
      if (ready == null || ready.isCompletedExceptionally()) {
        ready = CompletableFuture.runAsync(this::scan, SignedIndex::daemon);
        ready.thenRunAsync(
            () -> {
              if (!checkPending) {
                save(false);
              }
            },
            SignedIndex::daemon);
        // served from an unchanged snapshot: every file is looked at once the start-up's own work
        // is done (a file rewritten in place is otherwise seen by the hourly pass)
        ready.thenRunAsync(
            this::checkAfterTrustedStart,
            CompletableFuture.delayedExecutor(
                CHECK_DELAY_SECONDS, TimeUnit.SECONDS, SignedIndex::daemon));
      }
      return ready;
    }
  }

  private static final long CHECK_DELAY_SECONDS = 10;

  private void checkAfterTrustedStart() {
    if (!checkPending) {
      return;
    }
    synchronized (saveLock) {
      if (closed) {
        return;
      }
    }
    scan();
    save(false);
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "voxca-index");
    t.setDaemon(true);
    t.start();
  }

  private CertIndex awaited() {
    start().join();
    return index;
  }

  void each(Predicate<String> name, Consumer<CertificateRecord> sink) {
    awaited().each(name, sink);
  }

  int size() {
    return awaited().size();
  }

  /** True once the first scan is complete: from then on the index holds every readable file. */
  boolean ready() {
    CompletableFuture<Void> r = ready;
    return r != null && r.isDone() && !r.isCompletedExceptionally();
  }

  /** The record of a name if the index has it, without waiting for the first scan. */
  CertificateRecord peek(String name) {
    return index.get(name);
  }

  /** Before this process writes or deletes in signed/; {@link #put} or {@link #remove} ends it. */
  void beginWrite() {
    writing.incrementAndGet();
  }

  /** Ends a write that changed nothing (it failed, or there was nothing to delete). */
  void abandonWrite() {
    writing.decrementAndGet();
  }

  void put(String name, X509Certificate cert) {
    try {
      index.put(CertificateRecord.of(name, cert));
      own.put(name, InodeTimes.ctimeMillis(dir.resolve(name + ".pem")));
    } finally {
      dirSeen = InodeTimes.changeTime(dir);
      writing.decrementAndGet();
    }
  }

  void remove(String name) {
    index.remove(name);
    own.put(name, GONE);
    dirSeen = InodeTimes.changeTime(dir);
    writing.decrementAndGet();
  }

  /**
   * Rescans when {@code signed/} changed since this process last wrote to it or scanned it; not
   * while this process is writing there (its own temp files move the directory's time).
   */
  void rescanIfChanged() {
    CompletableFuture<Void> r = ready;
    if (r == null || !r.isDone() || writing.get() > 0) {
      return;
    }
    if (!InodeTimes.changeTime(dir).equals(dirSeen)) {
      LOG.info("{} changed outside voxca; re-reading what changed", dir);
    } else if (System.currentTimeMillis() - lastScanStartMillis < FULL_RESCAN_MILLIS) {
      return;
    } // else hourly: every file's inode time looked at (an edit in place moves no directory time)
    scan();
    save(false);
  }

  /**
   * Writes the snapshot: every record, and the start of the last scan (a file changed after it is
   * read again at the next start, whatever the snapshot says of it).
   */
  void save(boolean rescanFirst) {
    synchronized (saveLock) {
      if (!closed) {
        saveNow(rescanFirst);
      }
    }
  }

  /**
   * Saves a last time and refuses every later save: the store is closing (and its directory lock
   * going), so a save still queued after the start-up scan must not write.
   */
  void close() {
    synchronized (saveLock) {
      if (!closed) {
        saveNow(true);
        closed = true;
      }
    }
  }

  private void saveNow(boolean rescanFirst) {
    if (snapshot == null || !ready()) {
      return;
    }
    if (rescanFirst) { // what changed behind voxca's back is read; its own writes are not
      scan();
    }
    long since;
    long marker;
    List<CertificateRecord> all = new ArrayList<>(index.size() + 16);
    synchronized (scanLock) {
      since = lastScanStartMillis;
      marker = marker();
      index.each(n -> true, all::add);
      if (marker != InodeTimes.changeNanos(dir) || writing.get() > 0) {
        marker = 0; // changed while the records were taken
      }
    }
    long t0 = System.nanoTime();
    IndexSnapshot.write(snapshot, since, marker, all);
    LOG.debug(
        "Wrote the index snapshot ({} records) in {} ms",
        all.size(),
        (System.nanoTime() - t0) / 1_000_000);
  }

  private void scan() {
    synchronized (scanLock) {
      checkPending = false; // any scan but a trusted first one looks at every file
      long t0 = System.nanoTime();
      long since = lastScanStartMillis;
      lastScanStartMillis = System.currentTimeMillis() - 2_000; // mtime granularity and clock slack
      Map<String, Long> ownWrites = Map.copyOf(own);
      own.clear();
      index.beginScan();
      try {
        int fromSnapshot = 0;
        if (since == Long.MIN_VALUE && snapshot != null) {
          var saved = IndexSnapshot.read(snapshot);
          if (saved.isPresent()) {
            index.scannedAll(saved.get().records());
            since = saved.get().scanStartMillis();
            fromSnapshot = saved.get().records().size();
            long marker = saved.get().marker();
            if (marker != 0 && marker == InodeTimes.changeNanos(dir)) {
              lastScanStartMillis = since; // the background check reads what changed since then
              dirSeen = FileTime.from(marker, TimeUnit.NANOSECONDS);
              checkPending = true;
              LOG.info(
                  "Indexed {} signed certificates from the snapshot in {} ms ({} unchanged since;"
                      + " every file's inode time is checked in the background)",
                  fromSnapshot,
                  (System.nanoTime() - t0) / 1_000_000,
                  dir);
              return;
            }
          }
        }
        dirSeen = InodeTimes.changeTime(dir);
        List<String> names = names();
        Set<String> present = new HashSet<>(names);
        for (String known : List.copyOf(index.names())) {
          if (!present.contains(known)) {
            index.scannedMissing(known);
          }
        }
        List<String> toRead = new ArrayList<>();
        for (String n : names) {
          if (since == Long.MIN_VALUE || index.get(n) == null || changed(n, since, ownWrites)) {
            toRead.add(n);
          }
        }
        // read and parse on every core, then insert in name order from one thread
        List<CertificateRecord> read =
            toRead.parallelStream()
                .map(this::read)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(CertificateRecord::name))
                .toList();
        index.scannedAll(read);
        LOG.info(
            "Indexed {} signed certificates in {} ms ({} read{})",
            index.size(),
            (System.nanoTime() - t0) / 1_000_000,
            toRead.size(),
            fromSnapshot > 0 ? ", " + fromSnapshot + " from the snapshot" : "");
      } finally {
        index.endScan();
      }
    }
  }

  /** The record of a file, or null (and the name dropped) when it is gone or unreadable. */
  private CertificateRecord read(String name) {
    Path p = dir.resolve(name + ".pem");
    try {
      return CertificateRecord.of(name, Certificates.firstDer(Files.readAllBytes(p)));
    } catch (NoSuchFileException e) {
      index.scannedMissing(name);
    } catch (PkiException e) {
      LOG.warn("Skipping unreadable certificate file {}: {}", p, e.getMessage());
      index.scannedMissing(name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
    return null;
  }

  /**
   * True when the file's inode changed at or after {@code millis}, other than by this process's own
   * write: its ctime, which no copy or restore can set back (a file restored with an old mtime has
   * a new ctime); its mtime where the file system has no ctime.
   */
  private boolean changed(String name, long millis, Map<String, Long> ownWrites) {
    long c = InodeTimes.ctimeMillis(dir.resolve(name + ".pem"));
    Long mine = ownWrites.get(name);
    return c >= millis && (mine == null || mine != c);
  }

  /** Names of {@code signed/}; deletes the temp files a crashed process left there. */
  private List<String> names() {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        if (AtomicFiles.staleTemp(f)) {
          removeStale(p);
        } else if (f.endsWith(".pem") && !f.startsWith(".")) {
          out.add(f.substring(0, f.length() - 4));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return out;
  }

  private static void removeStale(Path temp) {
    try {
      Files.deleteIfExists(temp);
      LOG.warn("CA directory repaired: deleted stray temp file {}", temp);
    } catch (IOException e) {
      LOG.warn("Cannot remove stray temp file {}: {}", temp, e.toString());
    }
  }

  /**
   * The change marker a snapshot may carry: the directory time the index is known to reflect (its
   * last scan or this process's last write), when the directory still bears it, nothing is being
   * written and it is old enough that no write within the same clock tick can hide behind it; 0
   * otherwise (the next start then checks every file before it is ready).
   */
  private long marker() {
    FileTime seen = dirSeen;
    if (!InodeTimes.UNIX || seen == null || writing.get() > 0) {
      return 0;
    }
    long nanos = seen.to(TimeUnit.NANOSECONDS);
    boolean settled = seen.toMillis() < System.currentTimeMillis() - SETTLED_MILLIS;
    return settled && nanos == InodeTimes.changeNanos(dir) ? nanos : 0;
  }

  private static final long SETTLED_MILLIS = 2_000;
}
