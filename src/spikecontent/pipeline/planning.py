"""Planning an export: every artifact of every profile, with the digest of its inputs.

Each profile's writer is made once and prepared; its plan is checked (relative paths, no
two profiles writing one file) and each artifact gets the digest that decides, later,
whether it must be rendered again. Nothing is rendered here.

With a :class:`~spikecontent.pipeline.graph.Reuse` (the dependency graph bounds the
change), an artifact that read no changed file and is planned as before keeps the last
export's digest and entries: only the artifacts the changed files reach are digested.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from spikecontent._version import __version__
from spikecontent.diagnostics import ContentError, Diagnostic, Level
from spikecontent.model import Library
from spikecontent.pipeline.graph import Reuse, plan_signature
from spikecontent.pipeline.inputs import InputDigests
from spikecontent.pipeline.outcomes import ArtifactFailure
from spikecontent.pipeline.profiles import Profile
from spikecontent.pipeline.rendering import Task
from spikecontent.sdk.writer import Artifact, ContentFailure, Writer

__all__ = ["Job", "Plan", "plan_export"]


@attrs.frozen(kw_only=True)
class Job:
    """One planned artifact: what renders it and the digest of what it is made from."""

    profile: Profile
    task: Task
    path: str
    """Relative to the output folder."""
    entries: tuple[str, ...]
    """Every content entry it depends on, the site included, as written in the manifest."""
    inputs: str
    parts: tuple[bytes, ...] = ()
    """For a composed artifact: the digest of each part's inputs, aligned with its parts."""
    frame: str = ""
    """For a composed artifact: the digest of what all its parts share (its writer,
    options, path, templates); kept parts are reused only under the same."""
    plan: str = ""
    """What its writer planned (:func:`~spikecontent.pipeline.graph.plan_signature`),
    kept in the dependency graph."""


@attrs.frozen(kw_only=True)
class Plan:
    """Every job of an export, the artifacts that could not even be planned, and the
    writers' warnings."""

    jobs: tuple[Job, ...]
    failures: tuple[ArtifactFailure, ...]
    warnings: tuple[Diagnostic, ...]


def plan_export(
    library: Library,
    writers: Sequence[tuple[Profile, Writer[Any]]],
    place: Callable[[ContentFailure], Diagnostic] | None = None,
    digests: InputDigests | None = None,
    reuse: Reuse | None = None,
) -> Plan:
    """The plan of each profile's writer; :class:`ContentError` when two profiles would
    write the same file. ``place`` puts content a writer could not plan at its place;
    ``digests``, when given, are those of ``library`` the writers already use; with
    ``reuse``, unaffected artifacts keep the last export's digests."""
    digests = digests or InputDigests(library, __version__)
    planning = _Planning(digests=digests, place=place, reuse=reuse)
    for profile, writer in writers:
        artifacts = planning.ask(profile, writer)
        if artifacts is not None:
            planning.add(profile, writer, artifacts)
    if planning.collisions:
        raise ContentError(_collision(paths, *pair) for pair, paths in planning.collisions.items())
    return Plan(
        jobs=tuple(planning.jobs),
        failures=tuple(planning.failures),
        warnings=tuple(planning.warnings),
    )


@attrs.define(kw_only=True)
class _Planning:
    """The jobs, failures and warnings of an export's plan, as each writer plans."""

    digests: InputDigests
    place: Callable[[ContentFailure], Diagnostic] | None
    reuse: Reuse | None = None
    jobs: list[Job] = attrs.Factory(list)
    failures: list[ArtifactFailure] = attrs.Factory(list)
    warnings: list[Diagnostic] = attrs.Factory(list)
    owners: dict[str, Profile] = attrs.Factory(dict)
    """The profile that writes each path."""
    collisions: dict[tuple[Profile, Profile], list[str]] = attrs.Factory(dict)

    def ask(self, profile: Profile, writer: Writer[Any]) -> list[Artifact] | None:
        """``writer``'s artifacts, its warnings noted; None when it could not plan."""
        try:
            writer.prepare()
            artifacts = list(writer.plan())
            self.warnings.extend(
                Diagnostic(
                    file=f"{profile.output}/{w.path}", message=w.message, level=Level.WARNING
                )
                for w in writer.warnings()
            )
        except ContentFailure as failure:
            place = self.place(failure) if self.place is not None else None
            self._fail(profile, writer, f"{profile.output}/", failure.message, place)
            return None
        except Exception as error:
            cause = f"plan() failed: {type(error).__name__}: {error}"
            self._fail(profile, writer, f"{profile.output}/", cause)
            return None
        return artifacts

    def add(self, profile: Profile, writer: Writer[Any], artifacts: list[Artifact]) -> None:
        """A job for each of ``writer``'s ``artifacts`` (a failure for one that cannot
        be digested, a collision for a path another profile writes)."""
        # Template files are the same for every artifact of a profile: digest each once.
        template_digest = functools.cache(writer.context.templates.digest)
        for artifact in artifacts:
            path = f"{profile.output}/{artifact.path}"
            if path in self.owners:
                self.collisions.setdefault((self.owners[path], profile), []).append(path)
                continue
            self.owners[path] = profile
            plan = self._plan_signature(artifact)
            # Not a composed one: it depends on every article, and its parts' digests
            # are what lets it reuse the pieces of the last file.
            record = (
                self.reuse.record(path, profile.name, plan)
                if self.reuse is not None and artifact.parts is None
                else None
            )
            if record is not None:
                task = Task(writer=writer, artifact=artifact)
                self.jobs.append(
                    Job(
                        profile=profile,
                        task=task,
                        path=path,
                        entries=record.entries,
                        inputs=record.inputs,
                        plan=plan,
                    )
                )
                continue
            try:
                job = self._job(profile, writer, artifact, path, template_digest, plan)
            except (ValueError, LookupError) as error:
                self._fail(profile, writer, path, str(error))
                continue
            self.jobs.append(job)

    def _job(
        self,
        profile: Profile,
        writer: Writer[Any],
        artifact: Artifact,
        path: str,
        template_digest: Callable[[str], str],
        plan: str,
    ) -> Job:
        problem = _path_problem(artifact.path)
        if problem:
            raise ValueError(problem)
        entries = self.digests.closure(artifact)
        digest = functools.partial(
            self.digests.artifact,
            artifact,
            writer=writer.name,
            writer_version=writer.version,
            options=profile.options,
            output_path=path,
            templates={t: template_digest(t) for t in artifact.templates},
        )
        return Job(
            profile=profile,
            task=Task(writer=writer, artifact=artifact),
            path=path,
            entries=self.digests.written(entries),
            inputs=digest(entries=entries),
            parts=self.digests.parts(artifact) if artifact.parts else (),
            frame=digest(entries=()) if artifact.parts else "",
            plan=plan,
        )

    def _plan_signature(self, artifact: Artifact) -> str:
        written = self.digests.written(artifact.entries)
        return plan_signature(artifact.subject, artifact.templates, written)

    def _fail(
        self,
        profile: Profile,
        writer: Writer[Any],
        path: str,
        cause: str,
        place: Diagnostic | None = None,
    ) -> None:
        self.failures.append(
            ArtifactFailure(
                profile=profile.name, writer=writer.name, path=path, cause=cause, place=place
            )
        )


# Remembered per path: an export plans the same 14,000 paths as the last one.
@functools.lru_cache(maxsize=65536)
def _path_problem(path: str) -> str | None:
    # Plain string checks: a PurePosixPath per artifact was a tenth of planning 14,000.
    if "\\" in path or any(p in ("", ".", "..") for p in path.split("/")):
        return (
            f"artifact path {path!r} must be relative, '/'-separated, without '.', '..'"
            " or empty names"
        )
    return None


def _collision(paths: list[str], first: Profile, second: Profile) -> Diagnostic:
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    if first is second:  # one profile's writer planned the same path twice
        return Diagnostic(
            file=first.file or f"(default profile {first.name!r})",
            message=f"writer {first.writer.name!r} would write {paths[0]}{more} twice",
            fix="make the names the profile gives its artifacts unique (ids, output paths)",
        )
    return Diagnostic(
        file=second.file or f"(default profile {second.name!r})",
        field="output",
        message=(
            f"{paths[0]}{more} would be written by profile {first.name!r} "
            f"(writer {first.writer.name!r}) and by profile {second.name!r} "
            f"(writer {second.writer.name!r})"
        ),
        fix="give each of the two profiles its own 'output' folder",
    )
