package io.callstream.e2e.support;

import io.callstream.e2e.StackClient;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** One-parameter queries of the call history, as the tests read it: the first column as text. */
public final class Sql {

    private Sql() {
    }

    /** Every row's first column, in the query's order. */
    public static List<String> column(StackClient client, String sql, String parameter) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection db = client.database(); PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    /** The first row's first column, or {@code null} when there is no row. */
    public static String one(StackClient client, String sql, String parameter) throws SQLException {
        List<String> rows = column(client, sql, parameter);
        return rows.isEmpty() ? null : rows.getFirst();
    }
}
