import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Symlinks through Hadoop's FileContext, as an application uses them: the
 * client resolves every UnresolvedLinkException the namenode answers by
 * asking getLinkTarget and calling again. Prints one `key=value` line per
 * check. FileSystem.enableSymlinks(): Hadoop 3 ships with symlink
 * resolution switched off in the client JVM.
 */
public class SymlinkCheck {
  private static String read(FileContext fc, Path p) throws IOException {
    try (InputStream in = fc.open(p)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  private static void write(FileContext fc, Path p, String text) throws IOException {
    try (OutputStream out = fc.create(p, EnumSet.of(CreateFlag.CREATE), Options.CreateOpts.createParent())) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  public static void main(String[] args) throws Exception {
    FileSystem.enableSymlinks();
    Configuration conf = new Configuration();
    FileContext fc = FileContext.getFileContext(conf);
    Path base = new Path(args[0]);
    Path real = new Path(base, "real");
    Path link = new Path(base, "link");
    Path rel = new Path(base, "rel");
    fc.mkdir(real, FsPermission.getDirDefault(), true);
    write(fc, new Path(real, "f"), "hello");

    fc.createSymlink(real, link, false);
    fc.createSymlink(new Path("real/f"), rel, false);
    FileStatus ls = fc.getFileLinkStatus(link);
    System.out.println("linkStatus.isSymlink=" + ls.isSymlink());
    System.out.println("linkStatus.symlink=" + ls.getSymlink().toUri().getPath());
    System.out.println("linkTarget=" + fc.getLinkTarget(link).toUri().getPath());
    System.out.println("followed.isDirectory=" + fc.getFileStatus(link).isDirectory());
    System.out.println("readThroughLink=" + read(fc, new Path(link, "f")));
    System.out.println("readRelativeLink=" + read(fc, rel));

    write(fc, new Path(link, "g"), "world");
    System.out.println("writtenThroughLink=" + read(fc, new Path(real, "g")));

    StringBuilder listing = new StringBuilder();
    for (FileStatus s : fc.util().listStatus(base)) {
      listing.append(s.getPath().getName()).append(s.isSymlink() ? "@" : "").append(' ');
    }
    System.out.println("listing=" + listing.toString().trim());

    try {
      fc.createSymlink(real, link, false);
      System.out.println("again=created");
    } catch (IOException e) {
      System.out.println("again=" + e.getClass().getName() + ": " + e.getMessage());
    }

    System.out.println("deleteLink=" + fc.delete(link, false));
    System.out.println("realAfterDelete=" + fc.util().exists(real) + "," + read(fc, new Path(real, "g")));
  }
}
