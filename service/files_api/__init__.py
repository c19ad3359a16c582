"""files-api: a files service for AWS Lambda, backed by S3."""
