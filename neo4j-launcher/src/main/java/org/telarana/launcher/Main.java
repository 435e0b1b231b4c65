package org.telarana.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * Runs a Neo4j Community server in this JVM with Bolt on 127.0.0.1 — the same
 * Bolt server users get from the neo4j Docker image — for tests and for users
 * without Docker.
 *
 * Prints exactly one line "BOLT_URI=bolt://127.0.0.1:PORT" on standard output
 * once a Bolt handshake succeeds, then runs until SIGTERM/SIGINT or until its
 * standard input closes (so a parent process that dies takes it along).
 *
 * Options: --home DIR (persistent data; default a temporary directory deleted
 * on exit), --port N (default 0 = a free port), --password-env NAME (environment
 * variable holding the password of user neo4j; default TELARANA_NEO4J_PASSWORD;
 * authentication is enabled exactly when that variable is set), --pagecache SIZE.
 */
public final class Main {

    private static final byte[] BOLT_MAGIC = {(byte) 0x60, (byte) 0x60, (byte) 0xB0, (byte) 0x17};

    public static void main(String[] args) throws Exception {
        Path home = null;
        int port = 0;
        String passwordEnv = "TELARANA_NEO4J_PASSWORD";
        String pagecache = "256m";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--home" -> home = Path.of(args[++i]);
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--password-env" -> passwordEnv = args[++i];
                case "--pagecache" -> pagecache = args[++i];
                default -> {
                    System.err.println("unknown option: " + args[i]);
                    System.exit(2);
                }
            }
        }
        boolean temporary = home == null;
        Path dbHome = temporary ? Files.createTempDirectory("telarana-neo4j-") : home;
        String password = System.getenv(passwordEnv);
        boolean auth = password != null && !password.isEmpty();

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(dbHome)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pagecache))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runnable shutdown = () -> {
            try {
                service.shutdown();
            } finally {
                if (temporary) {
                    deleteTree(dbHome);
                }
                stopped.countDown();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "telarana-neo4j-shutdown"));

        try {
            GraphDatabaseAPI system = (GraphDatabaseAPI) service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            if (auth) {
                setPassword(system, password);
            }
            int boltPort = system.getDependencyResolver()
                    .resolveDependency(ConnectorPortRegister.class)
                    .getLocalAddress(ConnectorType.BOLT)
                    .getPort();
            waitForBoltHandshake(boltPort);
            System.out.println("BOLT_URI=bolt://127.0.0.1:" + boltPort);
            System.out.flush();
        } catch (Exception e) {
            // Neo4j's own threads would keep the JVM alive; a launcher that failed must exit.
            System.err.println("telarana-neo4j-launcher: " + e);
            e.printStackTrace();
            System.exit(1);
        }

        Thread stdinWatcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() != -1) {
                    // Input is ignored; only end-of-file matters.
                }
            } catch (IOException ignored) {
                // A broken pipe means the parent is gone, same as end-of-file.
            }
            System.exit(0);
        }, "telarana-neo4j-stdin");
        stdinWatcher.setDaemon(true);
        if (System.getenv("TELARANA_LAUNCHER_IGNORE_STDIN") == null) {
            stdinWatcher.start();
        }
        stopped.await();
    }

    /**
     * A new server has neo4j/neo4j with "change required"; set the configured password so
     * clients log in as they would against Docker. A data directory reused with the same
     * password already has it, which Neo4j reports as an error we can ignore.
     */
    private static void setPassword(GraphDatabaseAPI system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            if (!String.valueOf(rootCause(e).getMessage()).contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static void waitForBoltHandshake(int port) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 300; attempt++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(2000);
                OutputStream out = socket.getOutputStream();
                out.write(BOLT_MAGIC);
                // Offer Bolt 5.0 and 4.4; a server that answers a non-zero version is up.
                out.write(new byte[] {0, 0, 0, 5, 0, 0, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0});
                out.flush();
                byte[] reply = socket.getInputStream().readNBytes(4);
                if (reply.length == 4 && (reply[2] != 0 || reply[3] != 0)) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Bolt on 127.0.0.1:" + port + " never answered", last);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover temporary directory is harmless.
        }
    }
}
