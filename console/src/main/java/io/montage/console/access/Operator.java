package io.montage.console.access;

import io.montage.admins.AdminUser;

import java.io.Serializable;

/** Who is signed in to this browser session, and whether they may change anything. */
public record Operator(String username, String role) implements Serializable {

    static Operator of(AdminUser user) {
        return new Operator(user.username(), user.role());
    }

    public boolean mayChange() {
        return AdminUser.ADMIN.equals(role);
    }
}
