//! Dockerfile rewrites for Node.js, Python, Go and Java: each parses with our own parser, keeps the
//! user's instructions, comments and stage names, and its diff is stable (expect-test snapshots).

use expect_test::{expect, Expect};
use layerlens_core::dockerfile::{parse, Keyword};
use layerlens_core::recommend::dockerfile::advise;
use layerlens_core::recommend::Catalog;

/// Every rewrite parses without errors and contains every original instruction's text (apart from the
/// lines the rewrite says it changes: a FROM whose base moves, a CMD turned into exec form), in order,
/// plus every original comment.
fn assert_round_trip(original: &str) {
    let advice = advise(Catalog::builtin().unwrap(), original, None);
    assert!(!advice.rewrites.is_empty(), "no rewrite for:\n{original}");
    let before = parse(original);
    for rw in &advice.rewrites {
        let after = parse(&rw.dockerfile);
        assert!(!after.has_errors(), "{} does not parse: {:?}\n{}", rw.id, after.problems, rw.dockerfile);
        let mut texts = after.syntax.instructions.iter().map(|i| i.original.clone());
        for ins in &before.syntax.instructions {
            if matches!(ins.keyword, Keyword::From | Keyword::Cmd | Keyword::Entrypoint | Keyword::User) {
                continue;
            }
            assert!(texts.any(|t| t == ins.original), "{}: lost `{}`\n{}", rw.id, ins.original, rw.dockerfile);
        }
        for comment in &before.syntax.comments {
            assert!(
                rw.dockerfile.contains(&format!("# {}", comment.text))
                    || rw.dockerfile.contains(&format!("#{}", comment.text)),
                "{}: lost comment {:?}",
                rw.id,
                comment.text
            );
        }
        for stage in before.syntax.instructions.iter().filter(|i| i.keyword == Keyword::From) {
            let words = stage.arg_values();
            if let [_, _, name, ..] = words.as_slice() {
                assert!(
                    rw.dockerfile.contains(&format!("AS {name}")) || rw.dockerfile.contains(&format!("as {name}")),
                    "{}: lost stage {name}",
                    rw.id
                );
            }
        }
    }
}

fn check(original: &str, id: &str, expected: Expect) {
    let advice = advise(Catalog::builtin().unwrap(), original, None);
    let rw = advice.rewrites.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no {id} rewrite"));
    let mut shown = rw.diff.clone();
    for note in &rw.notes {
        shown.push_str(&format!("note: {note}\n"));
    }
    expected.assert_eq(&shown);
}

const NODE_VANILLA: &str = "# The article's vanilla Node.js image.
FROM node:8
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 3000
CMD [\"node\", \"index.js\"]
";

const PYTHON: &str = "FROM python:3.12
WORKDIR /app
# Dependencies first, for the layer cache.
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
ENV PORT=8000
CMD python app.py
";

const GO: &str = "FROM golang:1.27
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server
ENTRYPOINT [\"/out/server\"]
";

const JAVA: &str = "FROM maven:3.9-eclipse-temurin-21
WORKDIR /build
COPY pom.xml .
COPY src ./src
RUN mvn -q package -DskipTests
CMD [\"java\", \"-jar\", \"target/app.jar\"]
";

const MULTI: &str = "ARG NODE_VERSION=22
FROM node:${NODE_VERSION} AS deps
WORKDIR /app
COPY package.json .
RUN npm ci
FROM node:${NODE_VERSION} AS runtime
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
USER node
CMD node server.js
";

#[test]
fn every_rewrite_round_trips() {
    for text in [NODE_VANILLA, PYTHON, GO, JAVA, MULTI] {
        assert_round_trip(text);
    }
}

#[test]
fn node_rewrites_follow_the_article_path() {
    let advice = advise(Catalog::builtin().unwrap(), NODE_VANILLA, None);
    let ids: Vec<(&str, &str)> = advice.rewrites.iter().map(|r| (r.id.as_str(), r.final_base.as_str())).collect();
    assert_eq!(
        ids,
        [
            ("multi-stage", "node:8-slim"),
            ("distroless", "gcr.io/distroless/nodejs22-debian13:latest"),
            ("alpine", "node:8-alpine")
        ]
    );
    check(
        NODE_VANILLA,
        "alpine",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (alpine)
        @@ -1,8 +1,17 @@
         # The article's vanilla Node.js image.
        -FROM node:8
        +FROM node:8-alpine AS build
         WORKDIR /usr/src/app
         COPY package*.json ./
         RUN npm install
         COPY . .
         EXPOSE 3000
         CMD ["node", "index.js"]
        +# layerlens: drop devDependencies before the application is copied to the final stage.
        +RUN npm prune --omit=dev
        +
        +# layerlens (alpine): the final stage holds only what the application needs at run time.
        +FROM node:8-alpine
        +WORKDIR /usr/src/app
        +COPY --from=build /usr/src/app /usr/src/app
        +EXPOSE 3000
        +CMD ["node", "index.js"]
        note: The build stage moves to node:8-alpine too, so native modules are compiled against musl.
        note: alpine uses musl: prebuilt glibc binaries (native Node modules, gRPC, PhantomJS, manylinux wheels) break unless rebuilt on alpine.
        note: node:8-alpine is not in the base-image catalog, so its size is unknown here.
    "#]],
    );
    check(
        NODE_VANILLA,
        "distroless",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (distroless)
        @@ -1,8 +1,19 @@
         # The article's vanilla Node.js image.
        -FROM node:8
        +FROM node:8 AS build
         WORKDIR /usr/src/app
         COPY package*.json ./
         RUN npm install
         COPY . .
         EXPOSE 3000
         CMD ["node", "index.js"]
        +# layerlens: drop devDependencies before the application is copied to the final stage.
        +RUN npm prune --omit=dev
        +
        +# layerlens (distroless): the final stage holds only what the application needs at run time.
        +FROM gcr.io/distroless/nodejs22-debian13:latest
        +WORKDIR /usr/src/app
        +COPY --from=build /usr/src/app /usr/src/app
        +EXPOSE 3000
        +# layerlens: the distroless image's ENTRYPOINT already runs the runtime, so only its arguments remain.
        +CMD ["index.js"]
        +USER nonroot
        note: distroless has no shell and no package manager: `docker exec … sh` does not work; the `:debug` tag adds a busybox shell.
        note: The catalog has no distroless image for node 8: this rewrite moves to the runtime version in gcr.io/distroless/nodejs22-debian13:latest; test the application on it.
    "#]],
    );
}

#[test]
fn python_rewrite() {
    check(
        PYTHON,
        "multi-stage",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (multi-stage)
        @@ -1,4 +1,4 @@
        -FROM python:3.12
        +FROM python:3.12 AS build
         WORKDIR /app
         # Dependencies first, for the layer cache.
         COPY requirements.txt .
        @@ -6,3 +6,11 @@
         COPY . .
         ENV PORT=8000
         CMD python app.py
        +
        +# layerlens (multi-stage): the final stage holds only what the application needs at run time.
        +FROM python:3.12-slim
        +WORKDIR /app
        +COPY --from=build /usr/local /usr/local
        +COPY --from=build /app /app
        +ENV PORT=8000
        +CMD python app.py
    "#]],
    );
    check(
        PYTHON,
        "distroless",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (distroless)
        @@ -1,4 +1,4 @@
        -FROM python:3.12
        +FROM python:3.12 AS build
         WORKDIR /app
         # Dependencies first, for the layer cache.
         COPY requirements.txt .
        @@ -6,3 +6,14 @@
         COPY . .
         ENV PORT=8000
         CMD python app.py
        +
        +# layerlens (distroless): the final stage holds only what the application needs at run time.
        +FROM gcr.io/distroless/python3-debian13:latest
        +WORKDIR /app
        +COPY --from=build /usr/local/lib/python3.12/site-packages /usr/local/lib/python3.12/site-packages
        +ENV PYTHONPATH=/usr/local/lib/python3.12/site-packages
        +COPY --from=build /app /app
        +ENV PORT=8000
        +# layerlens: the distroless image's ENTRYPOINT already runs the runtime, so only its arguments remain.
        +CMD ["app.py"]
        +USER nonroot
        note: distroless python3 runs Debian's Python 3.13; packages installed for Python 3.12 must match it (pure-Python packages usually do).
        note: distroless has no shell and no package manager: `docker exec … sh` does not work; the `:debug` tag adds a busybox shell.
    "#]],
    );
}

#[test]
fn go_rewrite() {
    check(
        GO,
        "multi-stage",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (multi-stage)
        @@ -1,7 +1,14 @@
        -FROM golang:1.27
        +FROM golang:1.27 AS build
         WORKDIR /src
         COPY go.mod go.sum ./
         RUN go mod download
         COPY . .
         RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server
         ENTRYPOINT ["/out/server"]
        +
        +# layerlens (multi-stage): the final stage holds only what the application needs at run time.
        +FROM scratch
        +COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
        +WORKDIR /src
        +COPY --from=build /out/server /out/server
        +ENTRYPOINT ["/out/server"]
        note: scratch is empty: the binary must be static, and CA certificates or time zones must be copied in.
    "#]],
    );
    check(
        GO,
        "distroless",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (distroless)
        @@ -1,7 +1,14 @@
        -FROM golang:1.27
        +FROM golang:1.27 AS build
         WORKDIR /src
         COPY go.mod go.sum ./
         RUN go mod download
         COPY . .
         RUN CGO_ENABLED=0 go build -o /out/server ./cmd/server
         ENTRYPOINT ["/out/server"]
        +
        +# layerlens (distroless): the final stage holds only what the application needs at run time.
        +FROM gcr.io/distroless/static-debian13:latest
        +WORKDIR /src
        +COPY --from=build /out/server /out/server
        +ENTRYPOINT ["/out/server"]
        +USER nonroot
        note: distroless has no shell and no package manager: `docker exec … sh` does not work; the `:debug` tag adds a busybox shell.
    "#]],
    );
}

#[test]
fn java_rewrite() {
    check(
        JAVA,
        "multi-stage",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (multi-stage)
        @@ -1,6 +1,12 @@
        -FROM maven:3.9-eclipse-temurin-21
        +FROM maven:3.9-eclipse-temurin-21 AS build
         WORKDIR /build
         COPY pom.xml .
         COPY src ./src
         RUN mvn -q package -DskipTests
         CMD ["java", "-jar", "target/app.jar"]
        +
        +# layerlens (multi-stage): the final stage holds only what the application needs at run time.
        +FROM eclipse-temurin:21-jre
        +WORKDIR /build
        +COPY --from=build /build/target /build/target
        +CMD ["java", "-jar", "target/app.jar"]
    "#]],
    );
}

#[test]
fn multi_stage_dockerfile_only_changes_the_final_base() {
    check(
        MULTI,
        "distroless",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (distroless)
        @@ -3,9 +3,11 @@
         WORKDIR /app
         COPY package.json .
         RUN npm ci
        -FROM node:${NODE_VERSION} AS runtime
        +FROM gcr.io/distroless/nodejs22-debian13:latest AS runtime
         WORKDIR /app
         COPY --from=deps /app/node_modules ./node_modules
         COPY . .
        -USER node
        -CMD node server.js
        +# layerlens: distroless has no user "node"; it provides `nonroot` (uid 65532).
        +USER nonroot
        +# layerlens: the distroless image's ENTRYPOINT already runs the runtime, so only its arguments remain.
        +CMD ["server.js"]
        note: distroless has no shell and no package manager: `docker exec … sh` does not work; the `:debug` tag adds a busybox shell.
    "#]],
    );
    check(
        MULTI,
        "alpine",
        expect![[r#"
        --- Dockerfile
        +++ Dockerfile (alpine)
        @@ -3,7 +3,7 @@
         WORKDIR /app
         COPY package.json .
         RUN npm ci
        -FROM node:${NODE_VERSION} AS runtime
        +FROM node:${NODE_VERSION}-alpine AS runtime
         WORKDIR /app
         COPY --from=deps /app/node_modules ./node_modules
         COPY . .
        note: Only the final stage moves to alpine: build stages that compile native modules must move to alpine too.
        note: alpine uses musl: prebuilt glibc binaries (native Node modules, gRPC, PhantomJS, manylinux wheels) break unless rebuilt on alpine.
    "#]],
    );
}

#[test]
fn build_actions_from_run_and_copy_lines() {
    let text = "FROM debian:trixie\nRUN apt-get update && apt-get install -y curl\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\nRUN pip install y\nCOPY . /app\nRUN rm -rf /tmp/*\n";
    let titles: Vec<String> =
        layerlens_core::recommend::dockerfile::build_actions(text).into_iter().map(|a| a.title).collect();
    expect![[r#"
        line 2: install apt packages with --no-install-recommends
        line 2: remove the apt lists in the same RUN
        line 4: pip install --no-cache-dir
        line 5: `COPY .` sends the whole build context — add a .dockerignore
        line 6: a RUN that only deletes files does not shrink the image"#]]
    .assert_eq(&titles.join("\n"));
}

#[test]
fn no_rewrite_where_it_would_be_wrong() {
    let cases = [
        ("FROM node:22 AS build\nRUN npm ci && npm run build\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n", "runs nginx:alpine, not the node runtime"),
        ("FROM alpine:3.24\nRUN apk add --no-cache python3 py3-pip && pip install httpie\n", "installed on alpine:3.24"),
        ("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN pip install x\n", "Windows images"),
        ("FROM node:22 AS dev\nRUN npm ci\nFROM dev\nCMD [\"node\", \"a.js\"]\n", "earlier stage `dev`"),
    ];
    for (text, reason) in cases {
        let advice = advise(Catalog::builtin().unwrap(), text, None);
        assert!(advice.rewrites.is_empty(), "{text}");
        assert!(advice.problems.iter().any(|p| p.contains(reason)), "{:?}", advice.problems);
    }
}

#[test]
fn build_args_override_the_base() {
    let text = "ARG BASE=node:22\nFROM ${BASE}\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"a.js\"]\n";
    let catalog = Catalog::builtin().unwrap();
    let plain = advise(catalog, text, None);
    assert_eq!(plain.estimate.base, "node:22");
    let args = [("BASE".to_string(), "node:24-slim".to_string())];
    let over = layerlens_core::recommend::dockerfile::advise_with(catalog, text, None, &args);
    assert_eq!(over.estimate.base, "node:24-slim");
    assert_eq!(over.estimate.catalog_row.as_deref(), Some("node:24-slim"));
}

#[test]
fn variants_follow_the_version_line_not_the_whole_tag() {
    let finals = |base: &str| -> Vec<(String, String)> {
        let text = format!("FROM {base}\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n");
        advise(Catalog::builtin().unwrap(), &text, None).rewrites.into_iter().map(|r| (r.id, r.final_base)).collect()
    };
    let want = |slim: &str, alpine: &str| {
        vec![
            ("multi-stage".to_string(), slim.to_string()),
            ("distroless".to_string(), "gcr.io/distroless/python3-debian13:latest".to_string()),
            ("alpine".to_string(), alpine.to_string()),
        ]
    };
    assert_eq!(finals("python:3.12-bookworm"), want("python:3.12-slim", "python:3.12-alpine"));
    assert_eq!(finals("python:3.12-custom"), want("python:3.12-slim", "python:3.12-alpine"));
    assert_eq!(finals("python:3.12"), want("python:3.12-slim", "python:3.12-alpine"));
    assert_eq!(finals("python"), want("python:slim", "python:alpine"));
}
