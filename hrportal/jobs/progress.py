"""How a long job reports its progress, so the same code runs in the worker (progress written to the `Job`
row batch by batch) and in-process (tests, a command run by hand: nothing written).

Each update is its own small UPDATE in autocommit, outside the batch's transaction, so the portal sees it
at once and a batch that rolls back cannot take the progress of the batches before it with it.
"""

from django.db.models import F
from django.utils import timezone


class NullProgress:
    def begin(self, step: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


class JobProgress(NullProgress):
    def __init__(self, job):
        self.job_id = job.pk

    def _update(self, **values) -> None:
        from hrportal.jobs.models import Job

        # The job runner runs every job in its company's scope.
        Job.objects.filter(pk=self.job_id).update(updated_at=timezone.now(), **values)

    def begin(self, step: str, total: int) -> None:
        self._update(step=step, total=total, done=0)

    def advance(self, count: int = 1) -> None:
        if count:
            self._update(done=F("done") + count)


def batches(items, size: int):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
