# Production stack on one host with Docker Compose (docs/DEPLOYMENT.md). Secrets first:
#   scripts/generate-secrets.sh --write-env deploy/compose/.env.production
COMPOSE_PROD := docker compose -p clockpilot -f deploy/compose/docker-compose.prod.yml --env-file deploy/compose/.env.production
NODE_IMAGE ?= node:24-bookworm-slim
BACKUP_DIR ?= backups

.PHONY: help build-prod up-prod down-prod logs-prod backup-db

help:
	@echo "build-prod  build the clockpilot image (NODE_IMAGE=$(NODE_IMAGE))"
	@echo "up-prod     migrate, then start nginx, the app, data stores and monitoring"
	@echo "down-prod   stop the stack (volumes are kept)"
	@echo "logs-prod   follow the logs"
	@echo "backup-db   pg_dump of the database into $(BACKUP_DIR)/ (mode 0600)"

build-prod:
	docker build --build-arg NODE_IMAGE=$(NODE_IMAGE) -t clockpilot:latest .

up-prod:
	$(COMPOSE_PROD) up -d postgres redis
	$(COMPOSE_PROD) run --rm --no-deps app-blue clockpilot migrate
	$(COMPOSE_PROD) up -d

down-prod:
	$(COMPOSE_PROD) down

logs-prod:
	$(COMPOSE_PROD) logs -f --tail=100

backup-db:
	@mkdir -p $(BACKUP_DIR)
	@umask 077; f=$(BACKUP_DIR)/clockpilot-$$(date -u +%Y%m%dT%H%M%SZ).dump; \
	  $(COMPOSE_PROD) exec -T postgres sh -c 'pg_dump -Fc -U "$$POSTGRES_USER" "$$POSTGRES_DB"' > $$f && echo "backup: $$f"
