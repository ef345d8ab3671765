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
# Exec form: the JVM is PID 1 and gets SIGTERM itself (drain on the first, exit at once on a second).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/switchboard/switchboard-pusher.jar"]
