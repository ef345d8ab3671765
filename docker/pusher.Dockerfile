# The pusher's image. Build from the repository root (needs a container engine, which our build machines lack):
#   docker build -f docker/pusher.Dockerfile -t switchboard-pusher .
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -DskipTests -pl pusher -am package \
 && mvn -B -ntp -q -pl pusher dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 switchboard
COPY --from=build /src/pusher/target/switchboard-pusher-*.jar /opt/switchboard/pusher.jar
COPY --from=build /src/pusher/target/lib/ /opt/switchboard/lib/
USER switchboard
EXPOSE 8082
# Exec form: the JVM is PID 1 and gets SIGTERM itself (drain on the first, exit at once on a second).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/switchboard/pusher.jar:/opt/switchboard/lib/*", "dev.switchboard.pusher.Main"]
