# The gateway's image. Build from the repository root (needs a container engine, which our build machines lack):
#   docker build -f docker/gateway.Dockerfile -t switchboard-gateway .
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -q -DskipTests -pl app -am package \
 && mvn -B -ntp -q -pl app dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 switchboard
COPY --from=build /src/app/target/switchboard-app-*.jar /opt/switchboard/gateway.jar
COPY --from=build /src/app/target/lib/ /opt/switchboard/lib/
USER switchboard
EXPOSE 8080 8081
# Exec form: the JVM is PID 1 and gets SIGTERM itself (drain on the first, exit at once on a second).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/switchboard/gateway.jar:/opt/switchboard/lib/*", "dev.switchboard.app.Main"]
