# Remote state in the bootstrap's bucket, locked in its DynamoDB table. The bucket and
# table names differ per account: give them at init (terraform/README.md, step 2):
#   terraform init -backend-config="bucket=<state_bucket>" \
#     -backend-config="dynamodb_table=<lock_table>" -backend-config="region=<region>"
terraform {
  backend "s3" {
    key     = "peerprep/staging/terraform.tfstate"
    encrypt = true
  }
}
