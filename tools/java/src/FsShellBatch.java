import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FsShell;
import org.apache.hadoop.util.ToolRunner;

/**
 * Many `hdfs dfs` commands in one JVM: a JVM costs about a second to start,
 * a command a few milliseconds. Reads one command per stdin line, arguments
 * separated by tabs (generic -D options first, as for FsShell), runs each with
 * a fresh Configuration and fresh FileSystem clients (so one command's -D
 * settings never reach the next), and writes for each:
 *   "#<index> <exit code> <stdout bytes> <stderr bytes>\n", stdout, stderr.
 */
public class FsShellBatch {
  public static void main(String[] args) throws Exception {
    PrintStream realOut = System.out;
    PrintStream realErr = System.err;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    int index = 0;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code;
      System.setOut(new PrintStream(out, true, "UTF-8"));
      System.setErr(new PrintStream(err, true, "UTF-8"));
      try {
        code = ToolRunner.run(new Configuration(), new FsShell(), line.split("\t", -1));
      } catch (Throwable t) {
        t.printStackTrace(System.err);
        code = 255;
      } finally {
        System.out.flush();
        System.err.flush();
        System.setOut(realOut);
        System.setErr(realErr);
        FileSystem.closeAll();
      }
      byte[] o = out.toByteArray();
      byte[] e = err.toByteArray();
      realOut.write(("#" + index++ + " " + code + " " + o.length + " " + e.length + "\n").getBytes(StandardCharsets.UTF_8));
      realOut.write(o);
      realOut.write(e);
      realOut.flush();
    }
  }
}
