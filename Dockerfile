# One image for every service of docker-compose.yml; they differ only in command.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=poshan.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core libgomp1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# What runs only: the test tools (requirements-dev.txt) stay out of the image.
COPY requirements.txt requirements-frs.txt ./
RUN pip install --no-cache-dir 'setuptools<80.9' -r requirements.txt \
    && pip install --no-cache-dir --no-deps -r requirements-frs.txt
COPY . .
RUN DJANGO_SECRET_KEY=build FIELD_ENCRYPTION_KEYS=YnVpbGQtb25seS1rZXktbm90LXVzZWQtYXQtcnVuISE= \
    BLIND_INDEX_KEY=build AUDIT_HMAC_KEY=build AUDIT_SIGNING_KEY=6275696c642d6f6e6c79 SMS_BACKEND=poshan.core.sms.DisabledBackend \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 poshan && chown -R poshan /app
USER poshan
EXPOSE 8000
CMD ["gunicorn", "poshan.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "sync"]
