package io.montage.api.admin;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.quotas.QuotaDefaults;
import io.montage.quotas.Quotas;
import io.montage.quotas.TenantQuotas;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SetQuotasCommandTest {

    private final StringWriter out = new StringWriter();

    private int admin(String... args) {
        CommandLine admin = AdminCommand.commandLine(ApiServer.get().getApplicationContext());
        admin.setOut(new PrintWriter(out, true));
        admin.setErr(new PrintWriter(out, true));
        return admin.execute(args);
    }

    @Test
    void anOperatorSetsSomeQuotasKeepsTheOthersAndResetsThemAll() {
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ));
        String slug = caller.tenant().slug();
        Quotas quotas = ApiServer.bean(Quotas.class);
        QuotaDefaults defaults = ApiServer.bean(QuotaDefaults.class);

        assertEquals(0, admin("set-quotas", "--tenant", slug, "--items-per-day", "7", "--burst", "9"));
        assertTrue(out.toString().contains("items_per_day       7 (used today: 0)"), out.toString());
        assertEquals(0, admin("set-quotas", "--tenant", slug, "--inflight-jobs", "0"));
        assertEquals(new TenantQuotas(7, 0, defaults.collectionItems(), defaults.requestsPerMinute(), 9),
                quotas.of(caller.tenant().id()));

        assertEquals(0, admin("set-quotas", "--tenant", slug, "--reset"));
        assertEquals(new TenantQuotas(defaults.itemsPerDay(), defaults.inflightJobs(), defaults.collectionItems(),
                defaults.requestsPerMinute(), defaults.burst()), quotas.of(caller.tenant().id()));

        assertEquals(2, admin("set-quotas", "--tenant", slug, "--burst", "0"));
        assertTrue(out.toString().contains("invalid_quota: burst must be at least 1"), out.toString());
    }
}
