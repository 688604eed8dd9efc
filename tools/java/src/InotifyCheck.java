import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DFSInotifyEventInputStream;
import org.apache.hadoop.hdfs.client.HdfsAdmin;
import org.apache.hadoop.hdfs.inotify.Event;
import org.apache.hadoop.hdfs.inotify.EventBatch;

/**
 * HDFS inotify as an application uses it: HdfsAdmin's
 * DFSInotifyEventInputStream opened first, then a directory made, a file
 * written and closed, renamed, its permission changed, and deleted through
 * the FileSystem API; then the stream is polled until the delete shows up
 * (or 60 s pass). Prints one line per event under the root given:
 * `txid KIND details`. With `denied` as the second argument it only
 * opens the stream and prints the exception class it gets.
 */
public class InotifyCheck {
  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    String root = args[0];
    HdfsAdmin admin = new HdfsAdmin(FileSystem.getDefaultUri(conf), conf);
    if (args.length > 1 && args[1].equals("denied")) {
      try {
        admin.getInotifyEventStream();
        System.out.println("opened");
      } catch (org.apache.hadoop.ipc.RemoteException e) {
        // DFSClient hands getCurrentEditLogTxid's error over unwrapped, as it does against HDFS.
        System.out.println("denied=" + e.getClassName());
      }
      return;
    }
    DFSInotifyEventInputStream stream = admin.getInotifyEventStream();
    FileSystem fs = FileSystem.get(conf);
    Path dir = new Path(root);
    Path f = new Path(root, "f");
    Path g = new Path(root, "g");
    fs.mkdirs(dir);
    try (OutputStream out = fs.create(f)) {
      out.write("hello inotify".getBytes(StandardCharsets.UTF_8));
    }
    fs.rename(f, g);
    fs.setPermission(g, new org.apache.hadoop.fs.permission.FsPermission((short) 0600));
    fs.delete(g, false);
    long deadline = System.currentTimeMillis() + 60_000;
    boolean done = false;
    while (!done && System.currentTimeMillis() < deadline) {
      EventBatch batch = stream.poll(1, TimeUnit.SECONDS);
      if (batch == null) continue;
      for (Event e : batch.getEvents()) {
        String line = describe(e);
        if (line == null || !line.contains(root)) continue;
        System.out.println(batch.getTxid() + " " + line);
        if (e instanceof Event.UnlinkEvent && ((Event.UnlinkEvent) e).getPath().equals(g.toString())) done = true;
      }
    }
    System.out.println("done=" + done);
  }

  private static String describe(Event e) {
    switch (e.getEventType()) {
      case CREATE: {
        Event.CreateEvent c = (Event.CreateEvent) e;
        return "CREATE " + c.getPath() + " " + c.getiNodeType() + " " + c.getOwnerName() + " " + c.getPerms();
      }
      case CLOSE: {
        Event.CloseEvent c = (Event.CloseEvent) e;
        return "CLOSE " + c.getPath() + " " + c.getFileSize();
      }
      case RENAME: {
        Event.RenameEvent r = (Event.RenameEvent) e;
        return "RENAME " + r.getSrcPath() + " " + r.getDstPath();
      }
      case METADATA: {
        Event.MetadataUpdateEvent m = (Event.MetadataUpdateEvent) e;
        return "METADATA " + m.getPath() + " " + m.getMetadataType() + (m.getPerms() != null ? " " + m.getPerms() : "");
      }
      case UNLINK:
        return "UNLINK " + ((Event.UnlinkEvent) e).getPath();
      case APPEND:
        return "APPEND " + ((Event.AppendEvent) e).getPath();
      case TRUNCATE:
        return "TRUNCATE " + ((Event.TruncateEvent) e).getPath();
      default:
        return null;
    }
  }
}
