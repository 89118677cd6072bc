package io.kafkara.code;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The methods of the compiled classes of ra/src/main and who calls them, read with ASM: each method's class, access
 * and annotations, and every call site (invocations, method references and lambdas) with the calling class. The rules
 * over them are pure functions, so a test can show that each one catches what it is meant to.
 */
final class CompiledMethods {

    private static final int API = Opcodes.ASM9;

    /** One compiled class of ours. */
    record CompiledClass(String name, int access, String superName, List<String> interfaces, Set<String> annotations,
                         Set<String> recordComponents, List<CompiledMethod> methods) {

        boolean isPublic() {
            return (access & Opcodes.ACC_PUBLIC) != 0;
        }

        boolean isInterface() {
            return (access & Opcodes.ACC_INTERFACE) != 0;
        }

        boolean isEnum() {
            return (access & Opcodes.ACC_ENUM) != 0;
        }

        boolean isRecord() {
            return "java/lang/Record".equals(superName);
        }

        String packageName() {
            return name.substring(0, name.lastIndexOf('/'));
        }
    }

    /** One declared method; {@code calledFrom} holds the classes whose code calls it (or names it). */
    record CompiledMethod(String owner, String name, String descriptor, int access, Set<String> annotations) {

        boolean isPublicOrProtected() {
            return (access & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED)) != 0;
        }

        boolean isSyntheticOrBridge() {
            return (access & (Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE)) != 0;
        }

        boolean isStatic() {
            return (access & Opcodes.ACC_STATIC) != 0;
        }

        String key() {
            return owner + "." + name + descriptor;
        }

        /** How a report names it: class.method(parameters), in source terms. */
        String shown() {
            StringBuilder parameters = new StringBuilder();
            for (Type parameter : Type.getArgumentTypes(descriptor)) {
                if (parameters.length() > 0) {
                    parameters.append(", ");
                }
                String type = parameter.getClassName();
                parameters.append(type.substring(type.lastIndexOf('.') + 1));
            }
            String method = name.equals("<init>") ? "new" : name;
            return owner.replace('/', '.') + "." + method + "(" + parameters + ")";
        }
    }

    /** A call (or method reference) from a class to owner.name descriptor; fromTest when a test class makes it. */
    record Call(String fromClass, String owner, String name, String descriptor, boolean fromTest) {
    }

    private final Map<String, CompiledClass> classes;
    /** The test classes, for the calls they make and the types they extend (fakes of our classes). */
    private final Map<String, CompiledClass> testClasses;
    private final List<Call> calls;

    CompiledMethods(Map<String, CompiledClass> classes, Map<String, CompiledClass> testClasses, List<Call> calls) {
        this.classes = classes;
        this.testClasses = testClasses;
        this.calls = calls;
    }

    /** The classes of ra/src/main and the calls that its classes and its tests' classes make. */
    static CompiledMethods read(Path mainClasses, Path testClasses) {
        Map<String, CompiledClass> main = new HashMap<>();
        Map<String, CompiledClass> tests = new HashMap<>();
        List<Call> calls = new ArrayList<>();
        readInto(mainClasses, main, calls, false);
        readInto(testClasses, tests, calls, true);
        return new CompiledMethods(main, tests, calls);
    }

    private static void readInto(Path root, Map<String, CompiledClass> classes, List<Call> calls, boolean tests) {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                new ClassReader(Files.readAllBytes(file)).accept(new Reader(classes, calls, tests),
                        ClassReader.SKIP_FRAMES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, CompiledClass> classes() {
        return classes;
    }

    /**
     * The methods nothing calls: no call site of ra/src/main or of its tests reaches them (directly, through a
     * supertype or a subtype of their class, or through the method they override), they implement no method of a type
     * outside our code, and no container or library calls them by reflection ({@code entryPoint}).
     */
    List<String> neverCalled(EntryPoints entryPoint) {
        Set<String> reached = reached(entryPoint);
        List<String> unreached = new ArrayList<>();
        for (CompiledClass type : classes.values()) {
            for (CompiledMethod method : type.methods()) {
                if (!ignored(type, method) && !reached.contains(method.key())) {
                    unreached.add(method.shown());
                }
            }
        }
        return sorted(unreached);
    }

    /**
     * The public (or protected) methods of our packages but {@code api} that no code of ra/src/main in another package
     * calls or overrides: only tests (or nobody) need them public.
     */
    List<String> publicOnlyForTests(EntryPoints entryPoint) {
        Map<String, Set<String>> callerPackages = callerPackages();
        List<String> needless = new ArrayList<>();
        for (CompiledClass type : classes.values()) {
            if (type.packageName().equals("io/kafkara/api") || type.isInterface() || !type.isPublic()) {
                continue;
            }
            for (CompiledMethod method : type.methods()) {
                if (!method.isPublicOrProtected() || ignored(type, method) || entryPoint.test(type, method)
                        || overridesAnything(type, method)) {
                    continue;
                }
                Set<String> packages = callerPackages.getOrDefault(method.key(), Set.of());
                boolean calledFromElsewhere = packages.stream().anyMatch(pkg -> !pkg.equals(type.packageName()));
                if (!calledFromElsewhere) {
                    needless.add(method.shown());
                }
            }
        }
        return sorted(needless);
    }

    /** The container's and libraries' reflective calls into our code. */
    @FunctionalInterface
    interface EntryPoints {
        boolean test(CompiledClass type, CompiledMethod method);
    }

    /** Compiler-made members and static initialisers: nobody writes or removes them. */
    private static boolean ignored(CompiledClass type, CompiledMethod method) {
        if (method.isSyntheticOrBridge() || method.name().equals("<clinit>")) {
            return true;
        }
        if (type.isEnum() && (method.name().equals("values") || method.name().equals("valueOf"))) {
            return true;
        }
        if (type.recordComponents().contains(method.name() + method.descriptor())) {
            // A record component's accessor comes with the component.
            return true;
        }
        if (method.name().equals("<init>") && method.descriptor().equals("()V")
                && (method.access() & Opcodes.ACC_PRIVATE) != 0) {
            // The constructor that keeps a class of static members from being instantiated.
            return true;
        }
        return type.isRecord() && method.name().equals("<init>") && hasOnlyCanonical(type);
    }

    /** A record with one constructor: the canonical one is part of declaring the record. */
    private static boolean hasOnlyCanonical(CompiledClass type) {
        return type.methods().stream().filter(m -> m.name().equals("<init>")).count() == 1;
    }

    private Set<String> reached(EntryPoints entryPoint) {
        Set<String> reached = new HashSet<>();
        Deque<CompiledMethod> work = new ArrayDeque<>();
        for (CompiledClass type : classes.values()) {
            for (CompiledMethod method : type.methods()) {
                if (entryPoint.test(type, method) || implementsForeign(type, method)) {
                    work.add(method);
                }
            }
        }
        for (Call call : calls) {
            for (CompiledMethod target : targets(call.owner(), call.name(), call.descriptor())) {
                work.add(target);
            }
        }
        while (!work.isEmpty()) {
            CompiledMethod method = work.poll();
            if (reached.add(method.key())) {
                // A reached method reaches its overrides in our subtypes (virtual dispatch).
                if (!method.isStatic() && !method.name().equals("<init>")) {
                    for (CompiledClass sub : subtypesOf(method.owner())) {
                        declared(sub, method.name(), method.descriptor()).ifPresent(work::add);
                    }
                }
            }
        }
        return reached;
    }

    /** What a call to owner.name may run: the declaration it resolves to in owner or its supertypes, and owner's. */
    private List<CompiledMethod> targets(String owner, String name, String descriptor) {
        List<CompiledMethod> targets = new ArrayList<>();
        Deque<String> types = new ArrayDeque<>(List.of(owner));
        Set<String> seen = new HashSet<>();
        while (!types.isEmpty()) {
            String next = types.poll();
            CompiledClass type = classes.containsKey(next) ? classes.get(next) : testClasses.get(next);
            if (type == null || !seen.add(type.name())) {
                continue;
            }
            if (classes.containsKey(type.name())) {
                declared(type, name, descriptor).ifPresent(targets::add);
            }
            if (type.superName() != null) {
                types.add(type.superName());
            }
            types.addAll(type.interfaces());
        }
        return targets;
    }

    private static java.util.Optional<CompiledMethod> declared(CompiledClass type, String name, String descriptor) {
        return type.methods().stream().filter(m -> m.name().equals(name) && m.descriptor().equals(descriptor))
                .findFirst();
    }

    /** Our classes that extend or implement the given one, directly or not. */
    private List<CompiledClass> subtypesOf(String name) {
        List<CompiledClass> subtypes = new ArrayList<>();
        for (CompiledClass type : classes.values()) {
            if (!type.name().equals(name) && supertypes(type.name()).contains(name)) {
                subtypes.add(type);
            }
        }
        return subtypes;
    }

    /** Every supertype name of a class, ours or not, as far as our classes tell. */
    private Set<String> supertypes(String name) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> types = new ArrayDeque<>(List.of(name));
        while (!types.isEmpty()) {
            CompiledClass type = classes.get(types.poll());
            if (type == null) {
                continue;
            }
            if (type.superName() != null && all.add(type.superName())) {
                types.add(type.superName());
            }
            for (String implemented : type.interfaces()) {
                if (all.add(implemented)) {
                    types.add(implemented);
                }
            }
        }
        return all;
    }

    /** True when the method overrides or implements a method of a type outside our code (JDK, Jakarta, Kafka...). */
    private boolean implementsForeign(CompiledClass type, CompiledMethod method) {
        if (method.isStatic() || method.name().startsWith("<")) {
            return false;
        }
        for (String supertype : supertypes(type.name())) {
            if (!classes.containsKey(supertype) && foreignDeclares(supertype, method)) {
                return true;
            }
        }
        return false;
    }

    private boolean overridesAnything(CompiledClass type, CompiledMethod method) {
        if (method.isStatic() || method.name().startsWith("<")) {
            return false;
        }
        for (String supertype : supertypes(type.name())) {
            CompiledClass ours = classes.get(supertype);
            if (ours != null ? declared(ours, method.name(), method.descriptor()).isPresent()
                    : foreignDeclares(supertype, method)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a class outside our code (loaded from the test class path) declares a method of this name and
     * parameters.
     */
    private static boolean foreignDeclares(String internalName, CompiledMethod method) {
        Class<?> type;
        try {
            type = Class.forName(internalName.replace('/', '.'), false, CompiledMethods.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Supertype " + internalName + " is not on the test class path", e);
        }
        String parameters = method.descriptor().substring(0, method.descriptor().indexOf(')') + 1);
        for (Class<?> declaring = type; declaring != null; declaring = declaring.getSuperclass()) {
            for (Method candidate : declaring.getDeclaredMethods()) {
                if (candidate.getName().equals(method.name())
                        && Type.getMethodDescriptor(candidate).startsWith(parameters)) {
                    return true;
                }
            }
            for (Class<?> implemented : declaring.getInterfaces()) {
                if (foreignDeclares(Type.getInternalName(implemented), method)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Method key to the packages of the classes that call it (directly or through a supertype or subtype). */
    private Map<String, Set<String>> callerPackages() {
        Map<String, Set<String>> packages = new HashMap<>();
        for (Call call : calls) {
            if (call.fromTest()) {
                continue;
            }
            String from = call.fromClass().substring(0, call.fromClass().lastIndexOf('/'));
            Set<CompiledMethod> targets = new HashSet<>(targets(call.owner(), call.name(), call.descriptor()));
            for (CompiledMethod target : List.copyOf(targets)) {
                if (!target.isStatic()) {
                    for (CompiledClass sub : subtypesOf(target.owner())) {
                        declared(sub, target.name(), target.descriptor()).ifPresent(targets::add);
                    }
                }
            }
            targets.forEach(target -> packages.computeIfAbsent(target.key(), key -> new HashSet<>()).add(from));
        }
        return packages;
    }

    private static List<String> sorted(List<String> lines) {
        return List.copyOf(new TreeSet<>(lines));
    }

    /** Collects classes, methods, their annotations and the call sites of each method body. */
    private static final class Reader extends ClassVisitor {

        private final Map<String, CompiledClass> classes;
        private final List<Call> calls;
        private final boolean tests;
        private String name;
        private int access;
        private String superName;
        private List<String> interfaces;
        private final Set<String> annotations = new HashSet<>();
        private final Set<String> recordComponents = new HashSet<>();
        private final List<CompiledMethod> methods = new ArrayList<>();

        Reader(Map<String, CompiledClass> classes, List<Call> calls, boolean tests) {
            super(API);
            this.classes = classes;
            this.calls = calls;
            this.tests = tests;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            this.name = name;
            this.access = access;
            this.superName = superName;
            this.interfaces = List.of(interfaces);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            annotations.add(descriptor);
            return null;
        }

        @Override
        public org.objectweb.asm.RecordComponentVisitor visitRecordComponent(String component, String descriptor,
                                                                               String signature) {
            recordComponents.add(component + "()" + descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int methodAccess, String methodName, String descriptor, String signature,
                                         String[] exceptions) {
            Set<String> methodAnnotations = new HashSet<>();
            methods.add(new CompiledMethod(name, methodName, descriptor, methodAccess, methodAnnotations));
            return new MethodVisitor(API) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    methodAnnotations.add(annotation);
                    return null;
                }

                @Override
                public AnnotationVisitor visitParameterAnnotation(int parameter, String annotation, boolean visible) {
                    methodAnnotations.add(annotation);
                    return null;
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String called, String calledDescriptor,
                                            boolean isInterface) {
                    calls.add(new Call(name, owner, called, calledDescriptor, tests));
                }

                @Override
                public void visitInvokeDynamicInsn(String called, String calledDescriptor, Handle bootstrap,
                                                   Object... arguments) {
                    for (Object argument : arguments) {
                        if (argument instanceof Handle handle) {
                            calls.add(new Call(name, handle.getOwner(), handle.getName(), handle.getDesc(), tests));
                        }
                    }
                }

                @Override
                public void visitLdcInsn(Object constant) {
                    if (constant instanceof Handle handle) {
                        calls.add(new Call(name, handle.getOwner(), handle.getName(), handle.getDesc(), tests));
                    }
                }
            };
        }

        @Override
        public void visitEnd() {
            classes.put(name, new CompiledClass(name, access, superName, interfaces, Set.copyOf(annotations),
                    Set.copyOf(recordComponents), List.copyOf(methods)));
        }
    }
}
