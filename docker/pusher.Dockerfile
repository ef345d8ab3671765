# The pusher's image. Build from the repository root (needs a container engine, which our build machines lack):
#   docker build -f docker/pusher.Dockerfile -t switchboard-pusher .
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
# -Ddynalite.skip: the emulators (a test dependency) need npm to package dynalite, and no service starts it.
RUN mvn -B -ntp -q -DskipTests -Ddynalite.skip=true -pl pusher -am package

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 switchboard
COPY --from=build /src/pusher/target/switchboard-pusher.jar /opt/switchboard/
COPY --from=build /src/pusher/target/libs/ /opt/switchboard/libs/
USER switchboard
EXPOSE 8082
# The JVM flags measured for an idle-heavy service (docs/benchmarks.md, "Issue 21"): the heap may take 75% of the
# task's memory, compact object headers, and a heap that gives back what it does not use (with the default free
# ratios a node held 2.7 times its live heap). The collector is the JVM's choice: serial below 2 CPUs or 1792 MB,
# G1 above. Terraform's java_options sets JDK_JAVA_OPTIONS for a task, in place of this.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseCompactObjectHeaders -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
# Exec form: the JVM is PID 1 and gets SIGTERM itself (drain on the first, exit at once on a second).
ENTRYPOINT ["java", "-jar", "/opt/switchboard/switchboard-pusher.jar"]
