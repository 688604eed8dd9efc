import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DFSUtilClient;
import org.apache.hadoop.hdfs.protocol.SnapshotDiffReport;
import org.apache.hadoop.hdfs.protocol.SnapshotDiffReportListing;
import org.apache.hadoop.hdfs.protocol.SnapshotStatus;
import org.apache.hadoop.hdfs.protocol.SnapshottableDirectoryStatus;
import org.apache.hadoop.hdfs.web.WebHdfsFileSystem;

/**
 * The snapshot calls of WebHdfsFileSystem that Hadoop's own tools make only
 * over hdfs:// (lsSnapshottableDir, lsSnapshot, snapshotDiff and dfsadmin
 * -allowSnapshot insist on DistributedFileSystem in 3.4), printed as those
 * tools print them. Usage: WebHdfsSnapshots webhdfs://HOST:PORT VERB ARGS...
 * with the verbs allow DIR, disallow DIR, lsSnapshottableDir, lsSnapshot DIR,
 * diff DIR FROM TO (FROM/TO "." for the current tree), listing DIR FROM TO
 * (one GETSNAPSHOTDIFFLISTING page). Each verb's output
 * follows a "== verb" line; a refusal prints "error: Class: message" and the
 * next verb runs.
 */
public class WebHdfsSnapshots {
  public static void main(String[] args) throws Exception {
    FileSystem fs = FileSystem.get(URI.create(args[0]), new Configuration());
    if (!(fs instanceof WebHdfsFileSystem)) throw new IllegalArgumentException(args[0] + " is not webhdfs://");
    WebHdfsFileSystem web = (WebHdfsFileSystem) fs;
    for (int i = 1; i < args.length; ) {
      String verb = args[i++];
      System.out.println("== " + verb);
      try {
        switch (verb) {
          case "allow":
            web.allowSnapshot(new Path(args[i++]));
            break;
          case "disallow":
            web.disallowSnapshot(new Path(args[i++]));
            break;
          case "lsSnapshottableDir": {
            SnapshottableDirectoryStatus[] dirs = web.getSnapshottableDirectoryList();
            System.out.println("count " + (dirs == null ? "null" : String.valueOf(dirs.length)));
            if (dirs != null) SnapshottableDirectoryStatus.print(dirs, System.out);
            break;
          }
          case "lsSnapshot": {
            SnapshotStatus[] snapshots = web.getSnapshotListing(new Path(args[i++]));
            SnapshotStatus.print(snapshots, System.out);
            for (SnapshotStatus s : snapshots) {
              System.out.println("snapshot " + s.getSnapshotID() + " deleted " + s.isDeleted() + " " + s.getFullPath() + " in " + new String(s.getParentFullPath(), StandardCharsets.UTF_8));
            }
            break;
          }
          case "diff": {
            String dir = args[i++];
            String from = current(args[i++]);
            String to = current(args[i++]);
            SnapshotDiffReport report = web.getSnapshotDiffReport(new Path(dir), from, to);
            System.out.print(report.toString());
            for (SnapshotDiffReport.DiffReportEntry e : report.getDiffList()) System.out.println("entry " + e);
            break;
          }
          case "listing": {
            String dir = args[i++];
            SnapshotDiffReportListing l = web.getSnapshotDiffReportListing(dir, current(args[i++]), current(args[i++]), new byte[0], -1);
            System.out.println("lastPath '" + new String(l.getLastPath(), StandardCharsets.UTF_8) + "' lastIndex " + l.getLastIndex() + " fromEarlier " + l.getIsFromEarlier());
            print("modify", l.getModifyList());
            print("create", l.getCreateList());
            print("delete", l.getDeleteList());
            break;
          }
          default:
            throw new IllegalArgumentException("unknown verb " + verb);
        }
      } catch (IOException e) {
        System.out.println("error: " + e.getClass().getName() + ": " + e.getMessage().split("\n")[0]);
      }
    }
    fs.close();
  }

  private static void print(String list, List<SnapshotDiffReportListing.DiffReportListingEntry> entries) {
    for (SnapshotDiffReportListing.DiffReportListingEntry e : entries) {
      String target = e.getTargetPath() == null ? "" : " -> " + DFSUtilClient.byteArray2String(e.getTargetPath());
      System.out.println(list + " '" + DFSUtilClient.byteArray2String(e.getSourcePath()) + "'" + target + " reference " + e.isReference());
    }
  }

  /** "." is the current tree, as SnapshotDiff.getSnapshotName has it. */
  private static String current(String name) {
    return ".".equals(name) ? "" : name;
  }
}
