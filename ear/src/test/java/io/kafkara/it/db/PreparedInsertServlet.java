package io.kafkara.it.db;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;

import javax.naming.InitialContext;
import javax.sql.DataSource;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.TransactionManager;

import io.kafkara.it.tx.crash.BlockingResource;
import io.kafkara.it.tx.crash.BlockingResource.Phase;
import io.kafkara.it.tx.crash.FileGate;

/**
 * {@code /insert?id=I&gates=DIR}: one JTA transaction with two XA branches, a {@link BlockingResource} and the
 * insert of row {@code I} into PostgreSQL through the XA datasource. The blocking resource is enlisted first, so
 * it is first in commit order too: it holds in its commit at the gate {@code I}, after both branches were
 * prepared and the transaction manager logged its decision, and before PostgreSQL's commit. The test kills the
 * server there.
 */
@WebServlet("/insert")
public class PreparedInsertServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String id = request.getParameter("id");
        FileGate gate = new FileGate(Path.of(request.getParameter("gates")), id);
        try {
            // Looked up here, not injected: the datasource is another deployment, which may come up after this one.
            DataSource orders = InitialContext.doLookup(PostgresXaDeployment.DATASOURCE);
            // The transaction manager itself, not UserTransaction: only it can enlist the blocking resource.
            TransactionManager manager = InitialContext.doLookup("java:/TransactionManager");
            manager.begin();
            manager.getTransaction().enlistResource(new BlockingResource(Phase.COMMIT, gate));
            try (Connection connection = orders.getConnection();
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (id) VALUES (?)")) {
                insert.setString(1, id);
                insert.executeUpdate();
            }
            manager.commit();
        } catch (Exception e) {
            throw new IOException("The transaction inserting " + id + " failed before the crash: " + e, e);
        }
        response.getWriter().println("Inserted " + id + " without crashing");
    }
}
