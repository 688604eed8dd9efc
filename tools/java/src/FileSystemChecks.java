import java.io.FileNotFoundException;
import java.io.IOException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.ContentSummary;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.security.AccessControlException;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * The FileSystem / FileContext API as applications (Spark, Hive, MapReduce)
 * call it, many checks in one JVM. Argument: a fresh directory to work in.
 * Prints "ok <check>" or "FAIL <check>: <why>" per check; exits 1 if any failed.
 */
public class FileSystemChecks {
  interface Check { void run() throws Exception; }

  static final List<String> failures = new ArrayList<>();

  static void check(String name, Check c) {
    try {
      c.run();
      System.out.println("ok " + name);
    } catch (Throwable t) {
      failures.add(name);
      System.out.println("FAIL " + name + ": " + t);
      t.printStackTrace(System.err);
    }
  }

  static void expect(boolean cond, String what) {
    if (!cond) throw new AssertionError(what);
  }

  static <T extends Throwable> T expectThrows(Class<T> kind, Check c) throws Exception {
    try {
      c.run();
    } catch (Throwable t) {
      if (kind.isInstance(t)) return kind.cast(t);
      throw new AssertionError("expected " + kind.getName() + ", got " + t, t);
    }
    throw new AssertionError("expected " + kind.getName() + ", nothing thrown");
  }

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    int x = seed;
    for (int i = 0; i < n; i++) { x = x * 1103515245 + 12345; b[i] = (byte) (x >>> 24); }
    return b;
  }

  static byte[] readAll(FileSystem fs, Path p, int n) throws IOException {
    byte[] b = new byte[n];
    try (FSDataInputStream in = fs.open(p)) { in.readFully(0, b); }
    return b;
  }

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    Path dir = new Path(args[0]);
    FileSystem fs = FileSystem.get(conf);
    expect(fs instanceof DistributedFileSystem, "fs.defaultFS is hdfs");
    fs.mkdirs(dir);

    check("hflush makes bytes visible to another client before close", () -> {
      Path p = new Path(dir, "flushed");
      byte[] data = bytes(100_000, 1);
      try (FSDataOutputStream out = fs.create(p)) {
        out.write(data, 0, 70_000);
        out.hflush();
        FileSystem other = FileSystem.newInstance(conf);
        try (FSDataInputStream in = other.open(p)) {
          byte[] seen = new byte[70_000];
          in.readFully(0, seen);
          expect(Arrays.equals(seen, Arrays.copyOf(data, 70_000)), "flushed bytes");
          expect(in.read() == -1 || in.getPos() <= 70_001, "no bytes past the flush");
        } finally {
          other.close();
        }
        out.write(data, 70_000, 30_000);
        out.hsync();
      }
      expect(Arrays.equals(readAll(fs, p, 100_000), data), "closed file");
    });

    check("append through the API adds to the last block", () -> {
      Path p = new Path(dir, "appended");
      byte[] a = bytes(5000, 2);
      byte[] b = bytes(3000, 3);
      try (FSDataOutputStream out = fs.create(p)) { out.write(a); }
      try (FSDataOutputStream out = fs.append(p)) { out.write(b); }
      byte[] all = readAll(fs, p, 8000);
      expect(Arrays.equals(Arrays.copyOfRange(all, 0, 5000), a) && Arrays.equals(Arrays.copyOfRange(all, 5000, 8000), b), "appended bytes");
      expect(fs.getFileStatus(p).getLen() == 8000, "length 8000");
    });

    check("listLocatedStatus and getFileBlockLocations agree on every block", () -> {
      Path p = new Path(dir, "blocks");
      try (FSDataOutputStream out = fs.create(p, true, 4096, (short) 2, 1 << 20)) { out.write(bytes(3 * (1 << 20) + 10, 4)); }
      BlockLocation[] direct = fs.getFileBlockLocations(fs.getFileStatus(p), 0, Long.MAX_VALUE);
      expect(direct.length == 4, "4 blocks, got " + direct.length);
      RemoteIterator<LocatedFileStatus> it = fs.listLocatedStatus(dir);
      boolean found = false;
      while (it.hasNext()) {
        LocatedFileStatus s = it.next();
        if (!s.getPath().getName().equals("blocks")) continue;
        found = true;
        BlockLocation[] listed = s.getBlockLocations();
        expect(listed.length == 4, "listed 4 blocks, got " + listed.length);
        for (int i = 0; i < 4; i++) {
          expect(listed[i].getOffset() == direct[i].getOffset() && listed[i].getLength() == direct[i].getLength(), "block " + i);
          expect(listed[i].getHosts().length == 2, "2 hosts for block " + i);
        }
      }
      expect(found, "listed");
    });

    check("create without overwrite on an existing file: FileAlreadyExistsException", () -> {
      Path p = new Path(dir, "exists");
      fs.create(p).close();
      expectThrows(FileAlreadyExistsException.class, () -> fs.create(p, false).close());
    });

    check("a second writer of an open file is refused (lease)", () -> {
      Path p = new Path(dir, "leased");
      try (FSDataOutputStream out = fs.create(p)) {
        out.write(1);
        out.hflush();
        FileSystem other = FileSystem.newInstance(conf);
        try {
          IOException e = expectThrows(IOException.class, () -> other.append(p).close());
          expect(e.getMessage().contains("AlreadyBeingCreatedException") || e.getClass().getName().contains("AlreadyBeingCreated") || e.getMessage().contains("lease"), "lease refusal: " + e);
        } finally {
          other.close();
        }
      }
    });

    check("open of a missing file: FileNotFoundException", () ->
      expectThrows(FileNotFoundException.class, () -> fs.open(new Path(dir, "missing")).close()));

    check("mkdirs under a file: ParentNotDirectoryException or FileAlreadyExistsException", () -> {
      Path f = new Path(dir, "plain");
      fs.create(f).close();
      IOException e = expectThrows(IOException.class, () -> fs.mkdirs(new Path(f, "sub")));
      expect(e instanceof ParentNotDirectoryException || e instanceof FileAlreadyExistsException, "got " + e);
    });

    check("delete of a non-empty directory without recursive: PathIsNotEmptyDirectoryException", () -> {
      Path d = new Path(dir, "full");
      fs.mkdirs(new Path(d, "child"));
      expectThrows(PathIsNotEmptyDirectoryException.class, () -> fs.delete(d, false));
      expect(fs.exists(new Path(d, "child")), "child still there");
    });

    check("FileContext rename with and without OVERWRITE (rename2)", () -> {
      FileContext fc = FileContext.getFileContext(conf);
      Path a = new Path(dir, "r-a");
      Path b = new Path(dir, "r-b");
      try (FSDataOutputStream out = fs.create(a)) { out.write(bytes(10, 5)); }
      fs.create(b).close();
      expectThrows(FileAlreadyExistsException.class, () -> fc.rename(a, b));
      expect(fs.exists(a), "a still there after the refused rename");
      fc.rename(a, b, Options.Rename.OVERWRITE);
      expect(!fs.exists(a) && fs.getFileStatus(b).getLen() == 10, "b replaced by a");
    });

    check("setTimes, setPermission, getContentSummary", () -> {
      Path p = new Path(dir, "times");
      try (FSDataOutputStream out = fs.create(p)) { out.write(bytes(1234, 6)); }
      fs.setTimes(p, 1_000_000_000_000L, 1_000_000_001_000L);
      FileStatus s = fs.getFileStatus(p);
      expect(s.getModificationTime() == 1_000_000_000_000L && s.getAccessTime() == 1_000_000_001_000L, "times " + s);
      fs.setPermission(p, new FsPermission((short) 0640));
      expect(fs.getFileStatus(p).getPermission().toShort() == 0640, "permission");
      Path sub = new Path(dir, "summary");
      fs.mkdirs(new Path(sub, "x/y"));
      try (FSDataOutputStream out = fs.create(new Path(sub, "x/f"))) { out.write(bytes(77, 7)); }
      ContentSummary cs = fs.getContentSummary(sub);
      expect(cs.getDirectoryCount() == 3 && cs.getFileCount() == 1 && cs.getLength() == 77, "summary " + cs);
    });

    check("another user is denied with AccessControlException and the file is unchanged", () -> {
      Path p = new Path(dir, "private");
      try (FSDataOutputStream out = fs.create(p)) { out.write(bytes(10, 8)); }
      fs.setPermission(p, new FsPermission((short) 0600));
      UserGroupInformation eve = UserGroupInformation.createRemoteUser("eve");
      eve.doAs((PrivilegedExceptionAction<Void>) () -> {
        FileSystem efs = FileSystem.newInstance(conf);
        try {
          expectThrows(AccessControlException.class, () -> efs.open(p).read());
          expectThrows(AccessControlException.class, () -> efs.delete(p, false));
        } finally {
          efs.close();
        }
        return null;
      });
      expect(Arrays.equals(readAll(fs, p, 10), bytes(10, 8)), "unchanged");
    });

    fs.close();
    System.out.println(failures.isEmpty() ? "all checks passed" : "failed: " + failures);
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
