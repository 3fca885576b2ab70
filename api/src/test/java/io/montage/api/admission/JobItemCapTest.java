package io.montage.api.admission;

import io.montage.api.ApiServer;
import io.montage.apikeys.Scope;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.jobs.NewItem;
import io.montage.quotas.Quotas;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A job's items are counted as they stream: the one past the per-job cap stops the submission. */
class JobItemCapTest {

    @Test
    void theItemPastTheCapIsRefusedAsItIsRead() {
        JobAdmission admission = new JobAdmission(ApiServer.bean(Quotas.class),
                new RequestCosts(new CostCaps(256, 4096, 1000, 100_000, 3)));
        ApiServer.Caller caller = ApiServer.newCaller(EnumSet.of(Scope.JOBS_READ));
        MontageException e = assertThrows(MontageException.class, () ->
                ApiServer.bean(Database.class).inTenant(caller.tenant().id(), c -> {
                    Iterator<NewItem> items = admission.start(c,
                            Collections.nCopies(5, new NewItem(null, "1")).iterator()).items();
                    for (int read = 0; read < 3; read++) {
                        items.next();
                    }
                    return items.next();
                }));
        assertEquals("request_too_costly", e.code());
        assertEquals("this job has more than 3 items; the limit is 3 per job: split it into several jobs",
                e.getMessage());
    }
}
