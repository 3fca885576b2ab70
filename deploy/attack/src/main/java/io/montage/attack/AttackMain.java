package io.montage.attack;

import io.montage.attack.crosstenant.CrossTenantSuite;
import io.montage.attack.hostile.HostileSuite;
import io.montage.attack.http.HttpSender;
import io.montage.attack.report.Report;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs the cross-tenant suite and then the attack suite against a running platform, prints one summary line per
 * suite and every failure, and exits 1 when anything failed (2 when the platform could not even be set up).
 *
 * <pre>java -cp … io.montage.attack.AttackMain --url http://127.0.0.1:8080 --keys keys.properties
 *     [--suite attack|cross-tenant] [--verbose]</pre>
 * {@code --verbose} lists every request with its status, passed or not.
 */
public final class AttackMain {

    /** "No hang": a request without its whole answer in this time fails. */
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final int PARALLELISM = 4;

    private AttackMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = option(args, "--url", "http://127.0.0.1:8080");
        Path keysFile = Path.of(option(args, "--keys", "keys.properties"));
        String suite = option(args, "--suite", "all");
        boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
        URI base = URI.create(url);
        Keys keys = Keys.load(keysFile);
        Client client = new Client(new HttpSender(base.getHost(), base.getPort(), DEADLINE));
        long started = System.nanoTime();
        Fixtures fixtures;
        try {
            fixtures = Fixtures.create(client, keys);
        } catch (Client.SetupFailure e) {
            System.out.println("attack: the fixtures could not be created, nothing was tested: " + e.getMessage());
            System.exit(2);
            return;
        }
        Report crossTenant = new Report("cross-tenant");
        Report attack = new Report("attack");
        try {
            if (!suite.equals("attack")) {
                new CrossTenantSuite(client, keys, fixtures, crossTenant).run();
                System.err.println("attack: cross-tenant suite done after " + (System.nanoTime() - started) / 1_000_000_000 + " s");
            }
            if (!suite.equals("cross-tenant")) {
                new HostileSuite(client, keys, fixtures, attack, PARALLELISM).run();
            }
        } catch (Client.SetupFailure e) {
            System.out.println("attack: a setup step failed, the run is incomplete: " + e.getMessage());
            print(List.of(crossTenant, attack), client, started, verbose);
            System.exit(2);
        }
        new PostChecks(client, keys, fixtures).run(attack);
        boolean failed = print(List.of(crossTenant, attack), client, started, verbose);
        System.exit(failed ? 1 : 0);
    }

    private static boolean print(List<Report> reports, Client client, long started, boolean verbose) {
        boolean failed = false;
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        for (Report report : reports) {
            if (!report.outcomes().isEmpty()) {
                report.print(System.out, seconds + " s, " + client.sender().retries() + " retries after 429/503", verbose);
                failed |= !report.failures().isEmpty();
            }
        }
        return failed;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
