package io.kafkara.it.tx.crash;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.TreeSet;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The adapter's in-doubt MBean of this server, as an operator's JMX client inside the server sees it (the platform
 * MBeanServer, WildFly's): {@code /in-doubt?prefix=P&node=N} answers one line per listed branch,
 * {@code branch<TAB>item=value<TAB>...} with every item of its composite, then {@code summary<TAB>line} per summary;
 * {@code &commit=XID} commits that branch by hand and answers the outcome. Status 404 while the MBean is not
 * registered (a definition registers it at its first use).
 */
@WebServlet("/in-doubt")
public class InDoubtListingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        PrintWriter out = response.getWriter();
        try {
            ObjectName name = new ObjectName("io.kafkara:type=InDoubtBranches,transactionalIdPrefix="
                    + request.getParameter("prefix") + ",node=" + request.getParameter("node"));
            if (!jmx.isRegistered(name)) {
                response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                out.print(name + " is not registered; io.kafkara MBeans: "
                        + jmx.queryNames(new ObjectName("io.kafkara:*"), null));
                return;
            }
            String xid = request.getParameter("commit");
            if (xid != null) {
                out.print(jmx.invoke(name, "commit", new Object[] {xid}, new String[] {String.class.getName()}));
                return;
            }
            for (CompositeData branch : (CompositeData[]) jmx.getAttribute(name, "Branches")) {
                StringBuilder line = new StringBuilder("branch");
                for (String item : new TreeSet<>(branch.getCompositeType().keySet())) {
                    line.append('\t').append(item).append('=').append(branch.get(item));
                }
                out.println(line);
            }
            for (String summary : (String[]) jmx.getAttribute(name, "BranchSummaries")) {
                out.println("summary\t" + summary);
            }
        } catch (JMException | RuntimeException e) {
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            out.print(e);
        }
    }
}
